"""Serves one Truss's model.py over HTTP on loopback, the way Baseten's Truss server runs it.

Stdlib only: it runs under whatever interpreter the emulator is given, with the Truss's own
requirements on PYTHONPATH and nothing of ours.

Protocol with the parent (src/emulator/runtime/model-process.ts):
  stdin   first line: {"config": <parsed config.yaml>, "secrets": {...}}; the pipe then stays
          open, and its end means the parent is gone (even when it was SIGKILLed), so the server
          and its process group exit instead of lingering. --parent-pid backs this up: a new
          parent (re-parented to init) means the same.
  stdout  JSON event lines only: listening, loaded, load_failed.
  stderr  everything else (the model's prints and our progress), shown as deployment logs.
"""

import argparse
import asyncio
import importlib.util
import inspect
import json
import os
import select
import signal
import site
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Events go to the original stdout; fd 1 is then pointed at stderr so that anything the model
# writes (print, C extensions) lands in the logs and can never corrupt the event stream.
_events = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)
sys.stdout = sys.stderr


def emit(event, **fields):
    _events.write(json.dumps({"event": event, **fields}) + "\n")
    _events.flush()


def log(message):
    print(f"[model-server] {message}", file=sys.stderr, flush=True)


class ModelRunner:
    """Owns the Model instance and one event loop shared by its async methods."""

    def __init__(self, truss_dir, config, secrets):
        self.truss_dir = truss_dir
        self.config = config
        self.secrets = secrets
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="model-loop", daemon=True).start()
        concurrency = (config.get("runtime") or {}).get("predict_concurrency") or 1
        self.predict_slots = threading.BoundedSemaphore(max(1, int(concurrency)))
        self.model = None

    def _run(self, value):
        """Resolves coroutines and drains generators, so sync and async models look alike."""
        if inspect.iscoroutine(value):
            value = asyncio.run_coroutine_threadsafe(value, self.loop).result()
        if inspect.isasyncgen(value):
            value = asyncio.run_coroutine_threadsafe(_collect_async(value), self.loop).result()
        elif inspect.isgenerator(value):
            value = list(value)
        return value

    def load(self):
        cfg = self.config
        module_dir = os.path.join(self.truss_dir, cfg.get("model_module_dir") or "model")
        class_file = os.path.join(module_dir, cfg.get("model_class_filename") or "model.py")
        class_name = cfg.get("model_class_name") or "Model"
        # Bundled and external package dirs go after the Truss's requirements, as in Truss's server.
        packages = [cfg.get("bundled_packages_dir") or "packages", *(cfg.get("external_package_dirs") or [])]
        for extra in (os.path.join(self.truss_dir, p) for p in packages):
            if os.path.isdir(extra) and extra not in sys.path:
                sys.path.append(extra)

        log(f"importing {os.path.relpath(class_file, self.truss_dir)}")
        stem = os.path.splitext(os.path.basename(class_file))[0]
        # Truss's naming rule: model/model.py must not take sys.modules["model"], that is the package.
        parent = os.path.basename(module_dir)
        module_name = f"{parent}.{stem}" if parent == stem else stem
        spec = importlib.util.spec_from_file_location(module_name, class_file)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot import {class_file}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        model_class = getattr(module, class_name, None)
        if model_class is None:
            raise AttributeError(f"{os.path.basename(class_file)} defines no class {class_name}")

        data_dir = os.path.join(self.truss_dir, cfg.get("data_dir") or "data")
        kwargs = {"config": cfg, "data_dir": data_dir, "secrets": self.secrets}
        self.model = model_class(**_accepted_kwargs(model_class, kwargs))
        if hasattr(self.model, "load"):
            log("running load()")
            self._run(self.model.load())

    def predict(self, body):
        model = self.model
        value = self._run(model.preprocess(body)) if hasattr(model, "preprocess") else body
        with self.predict_slots:
            value = self._run(model.predict(value))
        if hasattr(model, "postprocess"):
            value = self._run(model.postprocess(value))
        return value


async def _collect_async(agen):
    return [item async for item in agen]


def _accepted_kwargs(model_class, kwargs):
    """Truss passes config/data_dir/secrets as keywords; older models accept only some of them."""
    try:
        params = inspect.signature(model_class).parameters
    except (TypeError, ValueError):
        return kwargs
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return kwargs
    return {k: v for k, v in kwargs.items() if k in params}


def model_traceback(exc):
    """The traceback from the model's first frame on: our own frames say nothing to the model's author."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


def make_handler(runner, state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: latency runs reuse connections
        # Headers and body go out in separate writes; with Nagle's algorithm on, each keep-alive answer
        # waits for the client's delayed ACK (~40 ms), which would pad every measured latency.
        disable_nagle_algorithm = True

        def log_message(self, format, *args):  # noqa: A002 - the base class's signature
            pass

        def _reply(self, status, payload):
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path != "/health":
                return self._reply(404, {"error": f"no route GET {self.path}"})
            if state["loaded"]:
                return self._reply(200, {"status": "ok"})
            return self._reply(503, {"status": "loading"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if self.path != "/predict":
                return self._reply(404, {"error": f"no route POST {self.path}"})
            if not state["loaded"]:
                return self._reply(503, {"error": "model is not ready: load() has not finished"})
            try:
                body = json.loads(raw)
            except ValueError as exc:
                return self._reply(400, {"error": f"request body is not valid JSON: {exc}"})
            try:
                result = runner.predict(body)
                payload = json.dumps(result)
            except Exception as exc:  # the model's own failure is the response, not a crash
                trace = model_traceback(exc)
                log(f"predict failed: {type(exc).__name__}: {exc}\n{trace}")
                return self._reply(500, {"error": f"{type(exc).__name__}: {exc}", "traceback": trace})
            data = payload.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def exit_when_parent_goes(parent_pid):
    try:
        while True:
            readable, _, _ = select.select([0], [], [], 1.0)
            if readable and not os.read(0, 65536):
                break  # EOF: the parent's end of the pipe is closed
            if os.getppid() != parent_pid:
                break
    finally:
        # No logging on the way out: stderr is read by the same dead parent, and a failed write (BrokenPipeError)
        # used to end this thread before the exit, leaving the server running.
        end_process_group()


def end_process_group():
    """Takes down anything the model started too: the parent made this server its own process group's leader."""
    try:
        if os.getpgrp() == os.getpid():
            os.killpg(os.getpid(), signal.SIGKILL)
    finally:
        os._exit(0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--truss-dir", required=True)
    parser.add_argument("--parent-pid", type=int, default=os.getppid())
    args = parser.parse_args()
    truss_dir = os.path.abspath(args.truss_dir)
    # Python put this script's folder first on sys.path; model code must not see the emulator's files.
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
        sys.path.pop(0)
    # PYTHONPATH already puts the installed requirements first; this also runs their .pth files.
    if os.environ.get("BASETEN_CD_SITE_PACKAGES"):
        site.addsitedir(os.environ["BASETEN_CD_SITE_PACKAGES"])

    init = json.loads(sys.stdin.readline() or "{}")
    runner = ModelRunner(truss_dir, init.get("config") or {}, init.get("secrets") or {})
    threading.Thread(target=exit_when_parent_goes, args=(args.parent_pid,), name="parent-watch", daemon=True).start()

    state = {"loaded": False}
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(runner, state))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="http", daemon=True).start()
    emit("listening", port=server.server_address[1])

    try:
        runner.load()
    except BaseException as exc:  # SystemExit from a model is a load failure too
        trace = model_traceback(exc)
        log(f"load failed:\n{trace}")
        emit("load_failed", error=f"{type(exc).__name__}: {exc}", traceback=trace)
        os._exit(1)
    state["loaded"] = True
    log("model loaded")
    emit("loaded")
    threading.Event().wait()


if __name__ == "__main__":
    main()
