import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import type { createActivities } from '../../../src/activities';
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
    smokeTest: async () => ({ ok: true, status: 200, latencyMs: 3 }),
    deactivateDeployment: async () => ({ deactivated: true }),
    notify: async (event) => {
      this.calls.push(`notify ${event.kind}`);
      return { delivered: false, reason: 'no webhook configured' };
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
