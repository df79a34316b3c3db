import { setTimeout as delay } from 'node:timers/promises';
import { HeldResponses } from './held-responses';
import { ManagementFaults } from './management-faults';
import { Share } from './share';

/** Faults injected through the control endpoints. Nothing but tests and the demo sets them. */

export interface PredictionFault {
  /** Added before each prediction reaches the model. @unit ms */
  latencyMs: number;
  /** Share of predictions answered 500 before they reach the model, 0..1. */
  errorRate: number;
  /**
   * 0: always. Else the fault only hits predictions sent through an environment while the deployment serves at
   * least this percent of it (a candidate that falls over under load, part way through a rolling promotion);
   * predictions sent to the deployment itself, such as a validation's, are spared.
   */
  fromTrafficPercent: number;
}

interface ActiveFault {
  latencyMs: number;
  errors: Share;
  fromTrafficPercent: number;
}

export class Faults {
  private readonly predictions = new Map<string, ActiveFault>();
  private readonly buildFailures: string[] = [];
  /** Faults on the management API (errors, slow answers, dropped connections, held answers). */
  readonly management: ManagementFaults;
  /** Answers the hold fault is keeping back. */
  readonly held: HeldResponses;
  private pauses = new AbortController();

  constructor(now: () => number = Date.now) {
    this.management = new ManagementFaults(now);
    this.held = new HeldResponses(now);
  }

  setPredictionFault(deploymentId: string, fault: Partial<PredictionFault>): PredictionFault {
    const current = this.predictions.get(deploymentId) ?? {
      latencyMs: 0,
      errors: new Share(0),
      fromTrafficPercent: 0,
    };
    if (fault.latencyMs !== undefined) current.latencyMs = fault.latencyMs;
    if (fault.errorRate !== undefined) current.errors.rate = fault.errorRate;
    if (fault.fromTrafficPercent !== undefined) current.fromTrafficPercent = fault.fromTrafficPercent;
    this.predictions.set(deploymentId, current);
    return {
      latencyMs: current.latencyMs,
      errorRate: current.errors.rate,
      fromTrafficPercent: current.fromTrafficPercent,
    };
  }

  /**
   * The fault this prediction meets: `trafficPercent` is the deployment's share of the environment the prediction
   * was sent through, undefined when it was sent to the deployment itself.
   */
  private applying(deploymentId: string, trafficPercent: number | undefined): ActiveFault | undefined {
    const fault = this.predictions.get(deploymentId);
    if (!fault || fault.fromTrafficPercent <= 0) return fault;
    return trafficPercent !== undefined && trafficPercent >= fault.fromTrafficPercent ? fault : undefined;
  }

  latencyMs(deploymentId: string, trafficPercent?: number): number {
    return this.applying(deploymentId, trafficPercent)?.latencyMs ?? 0;
  }

  /** Whether this prediction is one of the injected errors: exactly `errorRate` of those it applies to are (./share). */
  takePredictionError(deploymentId: string, trafficPercent?: number): boolean {
    return this.applying(deploymentId, trafficPercent)?.errors.take() ?? false;
  }

  failNextBuild(message: string): void {
    this.buildFailures.push(message);
  }

  takeBuildFailure(): string | undefined {
    return this.buildFailures.shift();
  }

  /** Waits `ms` for a slow answer, or less if the faults are cleared meanwhile (so nothing outlives a test). */
  async pause(ms: number): Promise<void> {
    await delay(ms, undefined, { signal: this.pauses.signal }).catch(() => undefined);
  }

  clearDeployment(deploymentId: string): void {
    this.predictions.delete(deploymentId);
  }

  /** Removes every fault, and lets every held or slow answer go at once. */
  clearAll(): void {
    this.predictions.clear();
    this.buildFailures.length = 0;
    this.management.clear();
    this.held.release();
    this.pauses.abort();
    this.pauses = new AbortController();
  }
}
