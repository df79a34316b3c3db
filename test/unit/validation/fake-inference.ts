import type { InferenceTarget } from '../../../src/baseten/inference-target';
import type { InferenceApi } from '../../../src/validation/inference-api';
import type { RunnerDeps } from '../../../src/validation/runner-deps';

type Answer = { status: number; body: unknown; latencyMs: number };

/** Decides the answer to one predict; throwing means "no answer" (a transport error). */
export type Responder = (request: { target: InferenceTarget; body: unknown; call: number }) => Answer;

/**
 * A typed in-memory InferenceApi with a manual clock: predicts advance the clock by their latency, and
 * sleep advances it instantly, so warm-up back-off and timeouts need no real waiting.
 */
export class FakeInference implements InferenceApi {
  clockMs = 0;
  status = 'ACTIVE';
  /** The environment the candidate serves (a first deployment serves production by itself). */
  environment: string | null = null;
  readonly events: string[] = [];
  readonly requests: Array<{ target: InferenceTarget; body: unknown; timeoutMs?: number }> = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(private readonly respond: Responder) {}

  async predict(
    _modelId: string,
    target: InferenceTarget,
    body: unknown,
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<Answer> {
    options?.signal?.throwIfAborted();
    this.events.push('predict');
    this.requests.push({ target, body, timeoutMs: options?.timeoutMs });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // Let other workers start before this one answers, so concurrency is observable.
      await new Promise((resolve) => setImmediate(resolve));
      const answer = this.respond({ target, body, call: this.requests.length - 1 });
      this.clockMs += answer.latencyMs;
      return answer;
    } finally {
      this.inFlight -= 1;
    }
  }

  async wake(): Promise<void> {
    this.events.push('wake');
    this.status = 'WAKING_UP';
  }

  async getDeployment(): Promise<{ status: string; environment: string | null }> {
    this.events.push('getDeployment');
    return { status: this.status, environment: this.environment };
  }

  deps(extra: Partial<RunnerDeps> = {}): RunnerDeps {
    return {
      inference: this,
      now: () => this.clockMs,
      sleep: async (ms) => {
        this.clockMs += ms;
      },
      ...extra,
    };
  }
}
