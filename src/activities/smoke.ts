import { heartbeat } from '@temporalio/activity';
import type { InferenceTarget } from '../baseten/inference-target';
import { resolveDeps, type ActivityDeps, type ResolvedDeps } from './deps';
import { mapBasetenErrors } from './failures';

/** One validation case replayed as a smoke test: the input, and the HTTP status it must answer with. */
export interface SmokeCheck {
  caseName: string;
  input: unknown;
  expectStatus: number;
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

/** How many predictions a smoke test tries before it gives up (a single blip must not revert a release). */
const smokeAttempts = 3;
const predictTimeoutMs = 60_000;

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

/** Sends the smoke case until it answers with the expected status, at most `smokeAttempts` times. */
export async function runSmoke(deps: ResolvedDeps, input: SmokeInput): Promise<SmokeOutcome> {
  const { smoke } = input;
  const where = `smoke case "${smoke.caseName}" on ${describeTarget(input.target)}`;
  let last: SmokeOutcome = { ok: false, reason: `${where}: not sent` };
  for (let attempt = 1; attempt <= smokeAttempts; attempt++) {
    heartbeat({ smokeAttempt: attempt });
    try {
      const answer = await deps.baseten.predict(input.modelId, input.target, smoke.input, {
        timeoutMs: predictTimeoutMs,
      });
      if (answer.status === smoke.expectStatus) return { ok: true, status: answer.status, latencyMs: answer.latencyMs };
      last = {
        ok: false,
        status: answer.status,
        latencyMs: answer.latencyMs,
        reason: `${where}: HTTP ${answer.status}, expected ${smoke.expectStatus}`,
      };
    } catch (err) {
      last = { ok: false, reason: `${where}: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (attempt < smokeAttempts) await deps.sleep(deps.poll.initialMs);
  }
  return last;
}

export function createSmokeActivities(deps: ActivityDeps) {
  const resolved = resolveDeps(deps);
  return {
    /** Sends one validation case to a target; a wrong answer is a verdict (ok: false), not an exception. */
    smokeTest: mapBasetenErrors(async (input: SmokeInput): Promise<SmokeOutcome> => runSmoke(resolved, input)),
  };
}
