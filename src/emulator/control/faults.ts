/** Faults injected through the control endpoints. Nothing but tests and the demo sets them. */

export interface PredictionFault {
  /** Added before each prediction reaches the model. @unit ms */
  latencyMs: number;
  /** Share of predictions answered 500 before they reach the model, 0..1. */
  errorRate: number;
}

export interface ManagementFaultInput {
  /** 5xx, or 429 (answered with `retry_after`). */
  status: number;
  /** Fail this many calls... */
  count?: number;
  /** ...or every call for this long. @unit ms */
  durationMs?: number;
  /** For 429. @default 1 @unit s */
  retryAfterSeconds?: number;
}

interface ManagementFault {
  status: number;
  remaining: number | undefined;
  until: number | undefined;
  retryAfterSeconds: number;
}

export class Faults {
  private readonly predictions = new Map<string, PredictionFault & { owed: number }>();
  private readonly buildFailures: string[] = [];
  private management: ManagementFault | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  setPredictionFault(deploymentId: string, fault: Partial<PredictionFault>): PredictionFault {
    const current = this.predictions.get(deploymentId) ?? { latencyMs: 0, errorRate: 0, owed: 0 };
    const next = { ...current, ...fault };
    this.predictions.set(deploymentId, next);
    return { latencyMs: next.latencyMs, errorRate: next.errorRate };
  }

  latencyMs(deploymentId: string): number {
    return this.predictions.get(deploymentId)?.latencyMs ?? 0;
  }

  /**
   * Whether this prediction is one of the injected errors. Deterministic, so a test that sets 0.5 sees
   * exactly every second request fail: each request adds the rate to a debt, and a whole unit of debt fails one.
   */
  takePredictionError(deploymentId: string): boolean {
    const fault = this.predictions.get(deploymentId);
    if (!fault || fault.errorRate <= 0) return false;
    fault.owed += fault.errorRate;
    if (fault.owed < 1 - 1e-9) return false;
    fault.owed -= 1;
    return true;
  }

  failNextBuild(message: string): void {
    this.buildFailures.push(message);
  }

  takeBuildFailure(): string | undefined {
    return this.buildFailures.shift();
  }

  setManagementFault(input: ManagementFaultInput): void {
    this.management = {
      status: input.status,
      remaining: input.count,
      until: input.durationMs === undefined ? undefined : this.now() + input.durationMs,
      retryAfterSeconds: input.retryAfterSeconds ?? 1,
    };
  }

  /** The injected failure for this management call, if one is armed (consumes one of `count`). */
  takeManagementFault(): { status: number; retryAfterSeconds: number } | undefined {
    const fault = this.management;
    if (!fault) return undefined;
    if (fault.until !== undefined && this.now() >= fault.until) {
      this.management = undefined;
      return undefined;
    }
    if (fault.remaining !== undefined) {
      if (fault.remaining <= 0) {
        this.management = undefined;
        return undefined;
      }
      fault.remaining -= 1;
    }
    return { status: fault.status, retryAfterSeconds: fault.retryAfterSeconds };
  }

  clearDeployment(deploymentId: string): void {
    this.predictions.delete(deploymentId);
  }

  clearAll(): void {
    this.predictions.clear();
    this.buildFailures.length = 0;
    this.management = undefined;
  }
}
