import type { InferenceApi } from './inference-api';

/** Where a running validation is; sent as heartbeat details (`latency` counts production's samples too). */
export interface ValidationProgress {
  phase: 'warmup' | 'cases' | 'latency';
  done: number;
  total: number;
}

/** What the runner needs from the outside world, injected so tests need neither network nor real time. */
export interface RunnerDeps {
  inference: InferenceApi;
  now: () => number;
  /** Waits between warm-up attempts; should reject when the run is cancelled. */
  sleep: (ms: number) => Promise<void>;
  progress?: (progress: ValidationProgress) => void;
  /** Aborts in-flight requests and stops the run (rethrowing the abort reason). */
  signal?: AbortSignal;
}
