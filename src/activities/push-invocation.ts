import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PushInput } from './push-types';

/** A command line; never carries the API key (truss reads it from the trussrc or BASETEN_API_KEY). */
export interface TrussInvocation {
  command: string;
  args: string[];
}

export interface InvocationTools {
  trussCliPath: string;
  remote: string;
}

/**
 * truss 0.18.36's CLI cannot create a development deployment without entering watch mode (`--watch`
 * forces `--wait`, then watches the folder forever). Its Python SDK can: `truss.push(publish=False)`
 * sends the same `deploy_draft_truss` mutation and returns. So development pushes run this script in
 * truss's own interpreter, and print the same JSON (success and error) as `truss push --output json`.
 */
const developmentPushScript = `
import json, sys
args = json.loads(sys.argv[1])
try:
    import truss
    deployment = truss.push(args["dir"], remote=args["remote"], model_name=args.get("model_name"),
                            publish=False, labels=args.get("labels"))
except Exception as exc:
    error = {"message": getattr(exc, "message", None) or str(exc), "type": type(exc).__name__}
    code = getattr(exc, "graphql_error_code", None)
    if code:
        error["error_code"] = code
    print(json.dumps({"error": error}))
    print(f"Error: {exc}", file=sys.stderr)
    sys.exit(1)
print(json.dumps({"model_id": deployment.model_id, "model_version_id": deployment.model_deployment_id,
                  "is_draft": True}))
`;

/** The labels sent with the deployment: the caller's, plus `git_commit` when known. */
export function pushLabels(input: PushInput): Record<string, string> | undefined {
  const labels = { ...input.labels, ...(input.gitCommit ? { git_commit: input.gitCommit } : {}) };
  return Object.keys(labels).length > 0 ? labels : undefined;
}

export function pushInvocation(input: PushInput, tools: InvocationTools): TrussInvocation {
  const labels = pushLabels(input);
  if (input.candidate.kind === 'development') {
    const request = { dir: input.trussDir, remote: tools.remote, model_name: input.modelName, labels };
    return { command: trussPython(tools.trussCliPath), args: ['-c', developmentPushScript, JSON.stringify(request)] };
  }
  const args = ['push', input.trussDir, '--remote', tools.remote, '--output', 'json', '--non-interactive'];
  if (input.modelName) args.push('--model-name', input.modelName);
  if (input.deploymentName) args.push('--deployment-name', input.deploymentName);
  if (labels) args.push('--labels', JSON.stringify(labels));
  if (input.candidate.kind === 'environment') args.push('--environment', input.candidate.name);
  return { command: tools.trussCliPath, args };
}

/** The Python interpreter the truss CLI runs in: its script's `#!` line, else `python3` beside it. */
export function trussPython(trussCliPath: string): string {
  let firstLine = '';
  try {
    firstLine = readFileSync(trussCliPath, 'utf8').slice(0, 400).split('\n')[0] ?? '';
  } catch {
    // Not readable as a script (e.g. a wrapper binary): fall through to the sibling interpreter.
  }
  const interpreter = /^#!\s*(\S+)\s*$/.exec(firstLine)?.[1];
  if (interpreter && !interpreter.endsWith('/env')) return interpreter;
  return path.join(path.dirname(trussCliPath), 'python3');
}
