import type { StepBudgets } from '../activities/rollout-types';
import type { SmokeCheck } from '../activities/smoke';
import type { ValidationSpec } from '../validation/schema';

// Pure decisions of a rolling release, from its validation file: no workflow APIs, so they are unit-tested directly.

export interface RolloutSettings {
  /** How long each traffic step is analysed. @unit ms */
  windowMs: number;
  budgets: StepBudgets;
  /** Sent to the candidate when its traffic over a window is thin. */
  probe?: SmokeCheck;
}

export const defaultRollout = { windowMs: 30_000, maxErrorRate: 0.05, hardErrorRate: 0.5, minRequests: 10 } as const;

/**
 * The `rollout` section with its defaults; the p95 budget and latency ratio fall back to the latency budget and
 * the comparison with production, and the probe to the first case.
 */
export function rolloutSettings(spec: ValidationSpec): RolloutSettings {
  const file = spec.rollout;
  const probeCase = spec.cases.find((c) => c.name === file?.probe) ?? spec.cases[0];
  const maxP95Ms = file?.maxP95 ?? spec.latency?.p95;
  const maxLatencyRatio = file?.maxLatencyRatio ?? spec.compareWithProduction?.maxLatencyRatio;
  return {
    windowMs: file?.window ?? defaultRollout.windowMs,
    budgets: {
      maxErrorRate: file?.maxErrorRate ?? defaultRollout.maxErrorRate,
      hardErrorRate: file?.hardErrorRate ?? defaultRollout.hardErrorRate,
      minRequests: file?.minRequests ?? defaultRollout.minRequests,
      ...(maxP95Ms !== undefined ? { maxP95Ms } : {}),
      ...(maxLatencyRatio !== undefined ? { maxLatencyRatio } : {}),
    },
    ...(probeCase
      ? { probe: { caseName: probeCase.name, input: probeCase.input, expectStatus: probeCase.expect.status } }
      : {}),
  };
}

/**
 * How often a step is analysed during its window: a fifth of it, at least a second. A step over its budgets fails at
 * the first analysis that shows it (with enough requests to tell); it passes only on the one at the window's end.
 */
export function stepCheckEveryMs(windowMs: number): number {
  return Math.max(1_000, Math.floor(windowMs / 5));
}

/**
 * Baseten's promotion is paused at each step for its analysis when a step (its stabilization time) is shorter than
 * the window: otherwise the next step would move more traffic before the verdict on this one.
 */
export function holdEachStep(stepMs: number, windowMs: number): boolean {
  return stepMs < windowMs;
}

/** Why a roll forward is refused, or undefined: only when every step so far passed, unless forced. */
export function rollForwardRefusal(
  ramping: boolean,
  failedSteps: number,
  request: { force?: boolean } | undefined,
): string | undefined {
  if (!ramping) return 'the release is not rolling out (no ramp in progress)';
  if (failedSteps > 0 && request?.force !== true)
    return 'a step failed its analysis; give force to roll forward anyway';
  return undefined;
}
