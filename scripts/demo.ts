/**
 * `npm run demo`: the whole story on this machine, with real parts. Version 1 of a model becomes production,
 * version 2 goes through a full release (its validation report printed), then version 2 turns UNHEALTHY in
 * production and the watcher reverts to version 1 on its own (detection and restore times printed), and an
 * operator pauses and resumes the watcher through the CLI. The last line printed is one JSON object; the exit code
 * is 0 only when all of that happened. `--keep` leaves everything running for the Temporal UI until Ctrl-C.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { BasetenCd } from '../src/client';
import { EmulatorControl } from '../src/emulator/control-client';
import { projectRoot } from '../src/tools/paths';
import type { DeployResult } from '../src/workflows/types';
import { baseten } from './demo/cli';
import { startDemoStack, type DemoStack } from './demo/stack';

type ReleaseJson = DeployResult & { workflowId: string; uiUrl: string; exitCode: number };

const example = path.join(projectRoot, 'examples', 'text-transform');
const validationFile = path.join(projectRoot, 'examples', 'validation', 'text-transform.yaml');
/** A short watch interval, so the revert happens within seconds (the default is 10 s). */
const watchInterval = '2s';

function step(text: string): void {
  console.log(`\n▶ ${text}`);
}

/** Marks the Truss's output with its version, so anyone calling production can tell which one answers. */
async function markVersion(truss: string, version: number): Promise<void> {
  const modelPy = path.join(truss, 'model', 'model.py');
  const code = (await readFile(modelPy, 'utf8')).replace(
    /"postprocessed": True(, "version": \d+)?/,
    '"postprocessed": True',
  );
  await writeFile(modelPy, code.replace('"postprocessed": True', `"postprocessed": True, "version": ${version}`));
}

/** Which version production answers with now, as a client of the environment's endpoint sees it. */
async function productionVersion(stack: DemoStack, modelId: string): Promise<number | undefined> {
  const url = `${stack.emulator.inferenceUrl.replace('{model_id}', modelId)}/production/predict`;
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { authorization: `Api-Key ${stack.emulator.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'which version are you' }),
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const body = (await response.body.json()) as { version?: number };
    return response.statusCode === 200 ? body.version : undefined;
  } catch {
    return undefined;
  }
}

function describeValidation(result: ReleaseJson): string {
  const v = result.validation;
  if (!v) return 'no validation report';
  const passed = v.cases.filter((c) => c.passed).length;
  const latency = v.latency
    ? `, p50 ${Math.round(v.latency.p50Ms ?? 0)} ms, p95 ${Math.round(v.latency.p95Ms ?? 0)} ms, error rate ${v.latency.errorRate * 100}%`
    : '';
  return `${passed}/${v.cases.length} cases passed${latency}`;
}

function releaseSummary(r: ReleaseJson) {
  return {
    deploymentId: r.candidateDeploymentId,
    status: r.status,
    validation: {
      p50Ms: r.validation?.latency?.p50Ms,
      p95Ms: r.validation?.latency?.p95Ms,
      passed: r.validation?.passed,
    },
  };
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function story(stack: DemoStack, workDir: string): Promise<Record<string, unknown>> {
  const started = Date.now();
  const truss = path.join(workDir, 'text-transform');
  await cp(example, truss, { recursive: true });
  const deploy = async (version: number) => {
    await markVersion(truss, version);
    const args = [
      'deploy',
      truss,
      '--validation',
      validationFile,
      '--label',
      'source=demo',
      '--watch-interval',
      watchInterval,
    ];
    return (await baseten<ReleaseJson>(args, stack.ciEnv)).result;
  };

  step('release 1: the first push of text-transform creates the model and becomes production');
  const first = await deploy(1);
  if (first.status !== 'promoted') throw new Error(`release 1 ended ${first.status} (exit ${first.exitCode})`);

  step('release 2: a changed Truss is validated, promoted over release 1, and watched');
  const second = await deploy(2);
  if (second.status !== 'promoted') throw new Error(`release 2 ended ${second.status} (exit ${second.exitCode})`);
  console.log(`  validation report of release 2: ${describeValidation(second)}`);
  for (const c of second.validation?.cases ?? []) {
    console.log(
      `    ${c.passed ? 'pass' : 'FAIL'}  ${c.name} (HTTP ${c.status ?? '-'}, ${Math.round(c.latencyMs ?? 0)} ms)`,
    );
  }
  const modelId = second.modelId ?? '';
  const [v1, v2] = [first.candidateDeploymentId ?? '', second.candidateDeploymentId ?? ''];

  step(`a fault: version 2 turns UNHEALTHY in production; the watcher (every ${watchInterval}) reverts on its own`);
  const control = new EmulatorControl({ url: stack.emulator.url, apiKey: stack.emulator.apiKey });
  const cd = await BasetenCd.connect({
    address: stack.temporal.address,
    namespace: stack.temporal.namespace,
    taskQueue: 'baseten-cd',
    uiUrl: stack.uiUrl,
  });
  try {
    const faultAt = Date.now();
    await control.makeUnhealthy(v2);
    console.log(
      `  ${new Date(faultAt).toISOString()} deployment ${v2} made UNHEALTHY; calling production every 100 ms`,
    );
    const restoredAt = await waitFor(
      'production to answer with version 1 again',
      async () => ((await productionVersion(stack, modelId)) === 1 ? Date.now() : undefined),
      120_000,
    );
    const watcher = cd.watcher('text-transform');
    const state = await waitFor(
      'the watcher to record the revert',
      async () => {
        const s = await watcher.state();
        return s?.incidents.at(-1)?.outcome === 'reverted' ? s : undefined;
      },
      60_000,
    );
    const incident = state.incidents.at(-1);
    const detectedAfterMs = (incident?.detectedAt ?? restoredAt) - faultAt;
    const restoredAfterMs = restoredAt - faultAt;
    console.log(`  detected after ${detectedAfterMs} ms (${incident?.reason ?? ''})`);
    console.log(
      `  production answers with version 1 again after ${restoredAfterMs} ms: restored onto ${state.watchedDeploymentId}`,
    );

    step('an operator pauses the watcher for a load test, then resumes it (the CLI; Temporal Updates)');
    const paused = await baseten<{ state: { mode: string } }>(
      ['pause', 'text-transform', '--reason', 'demo load test'],
      stack.ciEnv,
    );
    const resumed = await baseten<{ state: { mode: string } }>(['resume', 'text-transform'], stack.ciEnv);
    const operated = paused.code === 0 && resumed.code === 0 && resumed.result.state.mode === 'automatic';

    const ok = operated && state.watchedDeploymentId === v1 && (await productionVersion(stack, modelId)) === 1;
    step(`summary (${Math.round((Date.now() - started) / 1000)} s)`);
    console.log(
      [
        `  model ${modelId} (text-transform)`,
        `  release 1: promoted ${v1} (${describeValidation(first)})`,
        `     ${first.uiUrl}`,
        `  release 2: promoted ${v2} over ${v1} (${describeValidation(second)})`,
        `     ${second.uiUrl}`,
        `  revert:    ${v2} turned UNHEALTHY; the watcher detected it after ${detectedAfterMs} ms and production`,
        `             served ${v1} again after ${restoredAfterMs} ms`,
        `     ${cd.uiUrl(watcher.workflowId)}`,
        `  operator:  pause and resume ${operated ? 'answered' : 'FAILED'}`,
        '',
        '  What this proved: the real truss CLI pushed each candidate; the fleet validated that exact deployment;',
        '  promotion was verified before the CLI exited 0; the watcher kept guarding production and reverted it',
        '  onto the previous deployment by itself; every decision is in the workflow histories (links above).',
      ].join('\n'),
    );
    return {
      ok,
      releases: [releaseSummary(first), releaseSummary(second)],
      revert: { from: v2, to: state.watchedDeploymentId, detectedAfterMs, restoredAfterMs },
      uiUrl: stack.uiUrl,
    };
  } finally {
    await cd.close();
  }
}

async function run(): Promise<void> {
  const keep = process.argv.includes('--keep');
  const workDir = await mkdtemp(path.join(tmpdir(), 'baseten-cd-demo-'));
  let stack: DemoStack | undefined;
  let summary: Record<string, unknown> = { ok: false, releases: [], revert: null, uiUrl: null };
  let finishing: Promise<never> | undefined;
  // Every way out goes through here once: stop what the demo started, then print the JSON line last.
  const finish = (): Promise<never> => {
    finishing ??= (async () => {
      console.log('\nstopping the worker, the emulator (and its model processes) and the Temporal server...');
      await stack?.close();
      await rm(workDir, { recursive: true, force: true });
      console.log(JSON.stringify(summary));
      process.exit(summary.ok === true ? 0 : 1);
    })();
    return finishing;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`\n${signal}`);
      void finish();
    });
  }
  try {
    stack = await startDemoStack(workDir, step);
    summary = { ...summary, uiUrl: stack.uiUrl };
    summary = await story(stack, workDir);
    if (keep) {
      console.log(`\nEverything keeps running: Web UI ${stack.uiUrl}. Press Ctrl-C to stop.`);
      await new Promise<never>(() => undefined);
    }
  } catch (err) {
    console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  await finish();
}

run().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
