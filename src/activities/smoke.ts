import { heartbeat } from '@temporalio/activity';
import { z } from 'zod';
import type { InferenceTarget } from '../baseten/inference-target';
import { lastCheckpoint } from './checkpoint';
import { resolveDeps, type ActivityDeps, type ResolvedDeps } from './deps';
import { mapBasetenErrors } from './failures';

/** One validation case replayed as a smoke test: the input, and the HTTP status it must answer with. */
export interface SmokeCheck {
  caseName: string;
  input: unknown;
  expectStatus: number;
  /** Slower than this counts as a failed smoke test (a watcher's probe). @unit ms */
  maxLatencyMs?: number;
}

export interface SmokeOutcome {
  ok: boolean;
  /** Why it failed, in one line. */
  reason?: string;
  status?: number;
  latencyMs?: number;
}

export interface SmokeInput {
  modelId: string;
  target: InferenceTarget;
  smoke: SmokeCheck;
}

/** How many predictions a smoke test sends before it gives up (a single blip must not revert a release). */
export const smokeAttempts = 3;
const predictTimeoutMs = 60_000;

/** The smoke predictions already sent by earlier attempts of this activity (read from the last heartbeat). */
const smokeCheckpointSchema = z.looseObject({ smokeAttempts: z.number().int().min(0) });
export type SmokeCheckpoint = z.output<typeof smokeCheckpointSchema>;

export function smokeAttemptsSoFar(): number {
  return lastCheckpoint(smokeCheckpointSchema)?.smokeAttempts ?? 0;
}

export function describeTarget(target: InferenceTarget): string {
  switch (target.kind) {
    case 'production':
      return 'production';
    case 'development':
      return 'the development deployment';
    case 'deployment':
      return `deployment ${target.deploymentId}`;
    case 'environment':
      return `environment ${target.name}`;
  }
}

/** Sends the smoke case once and judges the answer. */
export async function smokeOnce(deps: ResolvedDeps, input: SmokeInput, signal?: AbortSignal): Promise<SmokeOutcome> {
  const { smoke } = input;
  const where = `smoke case "${smoke.caseName}" on ${describeTarget(input.target)}`;
  try {
    const timeoutMs = Math.min(predictTimeoutMs, smoke.maxLatencyMs ?? predictTimeoutMs);
    const answer = await deps.baseten.predict(input.modelId, input.target, smoke.input, { timeoutMs, signal });
    const measured = { status: answer.status, latencyMs: answer.latencyMs };
    if (answer.status !== smoke.expectStatus) {
      return { ok: false, ...measured, reason: `${where}: HTTP ${answer.status}, expected ${smoke.expectStatus}` };
    }
    if (smoke.maxLatencyMs !== undefined && answer.latencyMs > smoke.maxLatencyMs) {
      const took = `${Math.round(answer.latencyMs)} ms`;
      return { ok: false, ...measured, reason: `${where}: answered in ${took}, over ${smoke.maxLatencyMs} ms` };
    }
    return { ok: true, ...measured };
  } catch (err) {
    return { ok: false, reason: `${where}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Sends the smoke case until it answers as expected, `smokeAttempts` times at most. The count is checkpointed
 * (`checkpoint` receives it for the heartbeat), so a retried activity attempt resumes it instead of starting over
 * and Temporal's retries never multiply the predictions; a retry still sends one, since the answer to the last
 * prediction of the attempt before may never have been recorded.
 */
export async function runSmoke(
  deps: ResolvedDeps,
  input: SmokeInput,
  checkpoint: (sent: SmokeCheckpoint) => void,
): Promise<SmokeOutcome> {
  let sent = Math.min(smokeAttemptsSoFar(), smokeAttempts - 1);
  let last: SmokeOutcome = { ok: false };
  while (sent < smokeAttempts) {
    sent += 1;
    checkpoint({ smokeAttempts: sent });
    last = await smokeOnce(deps, input);
    if (last.ok) return last;
    if (sent < smokeAttempts) await deps.sleep(deps.poll.initialMs);
  }
  return last;
}

export function createSmokeActivities(deps: ActivityDeps) {
  const resolved = resolveDeps(deps);
  return {
    /** Sends one validation case to a target; a wrong answer is a verdict (ok: false), not an exception. */
    smokeTest: mapBasetenErrors(async (input: SmokeInput): Promise<SmokeOutcome> =>
      runSmoke(resolved, input, (sent) => heartbeat(sent satisfies SmokeCheckpoint)),
    ),
  };
}
