import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import type { createActivities } from '../../../src/activities';
import type { ObserveInput, ObserveResult } from '../../../src/activities/observe';
import type { Observation } from '../../../src/activities/observe-types';
import type { PushInput, PushResult } from '../../../src/activities/push-types';
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

  constructor(readonly candidate = 'new') {}

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
      const already = this.production === id;
      this.production = id;
      return { deploymentId: id, alreadyPromoted: already };
    },
    cancelPendingPromotion: async () => {
      this.calls.push('cancelPendingPromotion');
      return { cancelled: 'none' };
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
