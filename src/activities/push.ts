import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { activityInfo, cancellationSignal, heartbeat, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../common/failure-types';
import { parse as parseYaml } from 'yaml';
import { pushInvocation } from './push-invocation';
import { classifyFailure, parsePushedIds } from './push-output';
import { runTruss } from './push-process';
import type { PushInput, PushResult } from './push-types';

export interface PushActivityOptions {
  /** The truss CLI (see `trussCliPath()` in src/tools/paths). */
  trussCliPath: string;
  /** The trussrc remote to push to, e.g. `baseten`, or `local` for the emulator. */
  remote: string;
  /** Extra environment for truss (e.g. the emulator's truss environment); merged over the worker's. */
  env?: NodeJS.ProcessEnv;
  /** Upper bound for one push. @default 1_800_000 (30 min) @unit ms */
  timeoutMs?: number;
  /** How often to heartbeat while truss is silent. @default 5_000 @unit ms */
  heartbeatIntervalMs?: number;
}

/** What each heartbeat carries: the truss process and its latest progress line. */
export interface PushHeartbeat {
  pid: number;
  line?: string;
}

export function createPushActivities(options: PushActivityOptions) {
  const { trussCliPath, remote, timeoutMs = 1_800_000, heartbeatIntervalMs = 5_000 } = options;

  async function pushCandidate(input: PushInput): Promise<PushResult> {
    if (input.candidate.kind === 'development' && input.deploymentName)
      throw ApplicationFailure.nonRetryable(
        'deploymentName cannot be set for a development candidate (its single slot has no name)',
        FailureType.TrussConfig,
      );
    const env = { ...process.env, ...options.env };
    const redact = redactor(env);
    const signal = cancellationSignal();
    let last: PushHeartbeat | undefined;
    const beat = (next: PushHeartbeat): void => {
      last = next;
      heartbeat(next);
    };
    const ticker = setInterval(() => last && heartbeat(last), heartbeatIntervalMs);
    let result;
    try {
      result = await runTruss(pushInvocation(input, { trussCliPath, remote }), {
        env,
        signal,
        timeoutMs,
        onStart: (pid) => beat({ pid }),
        onLine: (line) => last && line.trim() && beat({ pid: last.pid, line: redact(line.trim()) }),
      });
    } finally {
      clearInterval(ticker);
    }

    if (result.aborted) throw signal.reason ?? new Error('push cancelled');
    if (result.timedOut)
      throw ApplicationFailure.retryable(`truss push did not finish within ${timeoutMs} ms`, FailureType.TrussTimeout);
    if (result.exitCode !== 0) {
      const failure = classifyFailure(result.exitCode, result.stdout, result.stderrTail.map(redact));
      throw ApplicationFailure.create({
        message: redact(failure.message),
        type: failure.type,
        nonRetryable: failure.nonRetryable,
      });
    }
    const ids = parsePushedIds(result.stdout, result.stderrTail.join('\n'));
    if (!ids)
      // Retrying would push a second deployment, so this is final.
      throw ApplicationFailure.nonRetryable(
        `truss push succeeded but printed no model/deployment ids: ${redact(result.stdout.slice(-500))}`,
        FailureType.TrussOutput,
      );
    const modelName = input.modelName ?? (await configModelName(input.trussDir)) ?? '';
    log.info('pushed candidate', {
      ...ids,
      modelName,
      candidate: input.candidate.kind,
      attempt: activityInfo().attempt,
    });
    return { ...ids, modelName, candidate: input.candidate };
  }

  return { pushCandidate };
}

async function configModelName(trussDir: string): Promise<string | undefined> {
  try {
    const config: unknown = parseYaml(await readFile(path.join(trussDir, 'config.yaml'), 'utf8'));
    const name = (config as { model_name?: unknown } | null)?.model_name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Masks the values of secret-looking variables (API keys, tokens) wherever truss echoes them. */
function redactor(env: NodeJS.ProcessEnv): (text: string) => string {
  const secrets = Object.entries(env)
    .filter(([name, value]) => /API_KEY|TOKEN|SECRET|PASSWORD/i.test(name) && value && value.length >= 8)
    .map(([, value]) => value as string);
  return (text) => secrets.reduce((out, secret) => out.split(secret).join('***'), text);
}
