import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import type { createActivities } from '../../../src/activities';
import type { ObserveInput, ObserveResult } from '../../../src/activities/observe';
import type { Observation } from '../../../src/activities/observe-types';
import type { PushInput, PushResult } from '../../../src/activities/push-types';
import type { RolloutPosition, StepAnalysis } from '../../../src/activities/rollout-types';
import type { ValidationReport } from '../../../src/validation/report';

/** Every activity the fleet hosts, plus the push (hosted by the CI job), as the workflows call them. */
export type FleetActivities = ReturnType<typeof createActivities> & {
  pushCandidate(input: PushInput): Promise<PushResult>;
};

export const passedReport: ValidationReport = {
  passed: true,
  reasons: [],
  warmup: { woke: false, attempts: 1, durationMs: 5 },
  cases: [{ name: 'smoke', passed: true, status: 200, latencyMs: 3, failures: [] }],
  durationMs: 10,
};

/**
 * Typed fakes of the fleet's activities over one in-memory model: `production` is what serves it, `calls` what
 * the workflow asked for, in order. Tests replace single activities to script a failure.
 */
export class FakeFleet {
  production = 'old';
  readonly calls: string[] = [];
  /** What the next observation slices report, in order; when empty, a slice ends with nothing to report. */
  readonly observations: Array<Partial<ObserveResult>> = [];
  /** How many observation slices ran. */
  slices = 0;

  /** How the environment promotes: with `rolling`, promoting the candidate starts a ramp the fakes below drive. */
  promotion = { rolling: false, stepMs: 0, stepPercent: 25 };
  /** The ramp in progress (or ended), as Baseten would report it. */
  ramp: { percent: number; status: RolloutPosition['status']; pauseRequested: boolean } | undefined;
  /** What the analysis of a step at a percentage finds (default: a healthy step). */
  readonly stepFindings = new Map<number, Partial<StepAnalysis>>();

  constructor(readonly candidate = 'new') {}

  /** One step boundary of the ramp, as Baseten moves it (a paused ramp does not move). */
  private advance(): void {
    const ramp = this.ramp;
    if (!ramp || ramp.status === 'PAUSED' || ramp.status === 'SUCCEEDED' || ramp.status === 'CANCELED') return;
    if (ramp.percent >= 100) {
      ramp.status = 'SUCCEEDED';
      this.production = this.candidate;
      return;
    }
    ramp.percent = Math.min(100, ramp.percent + this.promotion.stepPercent);
    ramp.status = ramp.pauseRequested ? 'PAUSED' : ramp.percent >= 100 ? 'RAMPING_DOWN' : 'RAMPING_UP';
    ramp.pauseRequested = false;
  }

  private position(): RolloutPosition {
    return {
      status: this.ramp?.status ?? 'NONE',
      percent: this.ramp?.percent ?? 0,
      currentDeploymentId: this.production,
    };
  }

  readonly activities: FleetActivities = {
    pushCandidate: async (input) => {
      this.calls.push('push');
      return {
        modelId: 'm1',
        modelName: input.modelName ?? 'm',
        deploymentId: this.candidate,
        candidate: input.candidate,
      };
    },
    awaitDeploymentActive: async (input) => {
      this.calls.push(`awaitDeploymentActive ${input.deploymentId}`);
      return { deploymentId: input.deploymentId, status: 'ACTIVE' };
    },
    validateCandidate: async () => {
      this.calls.push('validateCandidate');
      return passedReport;
    },
    describeProduction: async () => {
      this.calls.push('describeProduction');
      return { deploymentId: this.production, status: 'ACTIVE' };
    },
    prepareForTraffic: async (input) => {
      this.calls.push(`prepareForTraffic ${input.deploymentId}`);
      return { deploymentId: input.deploymentId, status: 'ACTIVE' };
    },
    promoteCandidate: async (input) => {
      const id = input.target.kind === 'deployment' ? input.target.deploymentId : 'built';
      this.calls.push(`promoteCandidate ${id}`);
      const already = this.production === id || this.ramp?.status === 'RAMPING_UP';
      if (this.promotion.rolling && id === this.candidate && this.production !== id) {
        this.ramp ??= { percent: 0, status: 'RELEASING', pauseRequested: false };
        return { deploymentId: id, alreadyPromoted: already };
      }
      this.production = id;
      return { deploymentId: id, alreadyPromoted: already };
    },
    cancelPendingPromotion: async (input) => {
      const ramp = this.ramp;
      if (!ramp || ramp.status === 'SUCCEEDED' || ramp.status === 'CANCELED') {
        this.calls.push('cancelPendingPromotion');
        return { cancelled: 'none' };
      }
      this.calls.push(`cancelPendingPromotion ${input.force ? 'forced' : 'graceful'} at ${ramp.percent}%`);
      ramp.status = 'CANCELED';
      ramp.percent = 0;
      return { cancelled: input.force ? 'forced' : 'graceful', candidateDeploymentId: this.candidate };
    },
    planRollout: async (input) => {
      this.calls.push(`planRollout${input.enableRolling ? ' enable' : ''}`);
      const enabled = input.enableRolling && !this.promotion.rolling;
      if (enabled) this.promotion.rolling = true;
      const { rolling, stepMs, stepPercent } = this.promotion;
      return { rolling, enabled, stepMs, stepPercent };
    },
    awaitRolloutStep: async (input) => {
      this.calls.push(`awaitRolloutStep after ${input.afterPercent}%${input.held ? ' held' : ''}`);
      for (let i = 0; i < 100; i++) {
        const position = this.position();
        const ended = ['SUCCEEDED', 'CANCELED', 'FAILED'].includes(position.status);
        const moved = position.percent > input.afterPercent && position.status !== 'RELEASING';
        if (ended || (moved && (!input.held || position.status === 'PAUSED'))) return position;
        if (position.status === 'PAUSED') break;
        this.advance();
      }
      throw basetenFailure('RolloutStalledError', `stalled at ${this.ramp?.percent}%`, true);
    },
    controlPromotion: async (input) => {
      this.calls.push(`controlPromotion ${input.action}`);
      const ramp = this.ramp;
      if (!ramp) return { accepted: false };
      if (input.action === 'roll-forward') {
        ramp.status = 'SUCCEEDED';
        ramp.percent = 100;
        this.production = this.candidate;
        return { accepted: true };
      }
      if (input.action !== 'pause' && ramp.status === 'PAUSED') {
        ramp.status = ramp.percent >= 100 ? 'RAMPING_DOWN' : 'RAMPING_UP';
      }
      if (input.action === 'pause' || input.action === 'resume-and-pause') ramp.pauseRequested = true;
      return { accepted: true };
    },
    analyseRolloutStep: async (input) => {
      this.calls.push(`analyseRolloutStep ${input.percent}%`);
      return {
        percent: input.percent,
        windowStartMs: input.windowStartMs,
        windowEndMs: input.windowEndMs,
        candidateStatus: 'ACTIVE',
        candidate: { requests: 40, errors5xx: 0, errorRate: 0, p95Ms: 20 },
        previous: { requests: 60, errors5xx: 0, errorRate: 0, p95Ms: 20 },
        share: 0.4,
        verdict: 'passed',
        reasons: [],
        overHardLimit: false,
        ...this.stepFindings.get(input.percent),
      };
    },
    verifyProduction: async (input) => {
      this.calls.push(`verifyProduction ${input.deploymentId}`);
      const verified = this.production === input.deploymentId;
      return { verified, productionDeploymentId: this.production, status: 'ACTIVE' };
    },
    findDeployment: async () => ({ found: true, status: 'ACTIVE' }),
    smokeTest: async () => ({ ok: true, status: 200, latencyMs: 3 }),
    deactivateDeployment: async () => ({ deactivated: true }),
    notify: async (event) => {
      this.calls.push(`notify ${event.kind}`);
      return { delivered: false, reason: 'no webhook configured' };
    },
    observeProduction: async (input) => {
      this.slices += 1;
      this.calls.push(`observeProduction ${input.deploymentId} ${input.mode}`);
      return { ...sliceEnded(input), ...this.observations.shift() };
    },
    retireWatcher: async () => {
      this.calls.push('retireWatcher');
      return { retired: 'none' };
    },
  };

  /** The calls whose name starts with `prefix`. */
  callsOf(prefix: string): string[] {
    return this.calls.filter((c) => c.startsWith(prefix));
  }
}

/**
 * A failure as the Baseten activities raise it (see activities/failures.ts). Marked benign so that the worker
 * logs these scripted failures quietly.
 */
export function basetenFailure(type: string, message: string, nonRetryable = false): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable, category: ApplicationFailureCategory.BENIGN });
}

function sliceEnded(input: ObserveInput): ObserveResult {
  return {
    reason: 'slice-ended',
    consecutiveBad: input.consecutiveBad,
    badRunReported: input.badRunReported,
    observations: [],
    evidence: [],
  };
}

/** A bad look at production, as the observation activity records it. */
export function badLook(at: number, reason = 'status UNHEALTHY'): Observation {
  return { at, status: 'UNHEALTHY', servingDeploymentId: 'new', bad: true, reasons: [reason] };
}

/** What a slice reports when the watched deployment has been bad `looks` times in a row. */
export function unhealthy(at: number, looks = 2): Partial<ObserveResult> {
  const evidence = Array.from({ length: looks }, (_, i) => badLook(at + i * 1000));
  return { reason: 'unhealthy', consecutiveBad: looks, badRunReported: true, evidence, observations: evidence };
}
