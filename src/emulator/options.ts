import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultRateLimits, type RateLimits } from './http/rate-limit';
import { startModelProcess, type ModelProcess, type StartModelProcessOptions } from './runtime';

/** Starts a deployment's model process once its Truss is built. */
export type ModelProcessStarter = (options: StartModelProcessOptions) => Promise<ModelProcess>;

/** How long the emulator holds each simulated phase, so every status is observable by a poller. */
export interface EmulatorTimings {
  /** Least time a deployment shows BUILDING (the real requirements install may take longer). @unit ms */
  buildMs: number;
  /** DEPLOYING. @unit ms */
  deployMs: number;
  /** WAKING_UP, before the model process starts loading. @unit ms */
  wakeMs: number;
  /** DEACTIVATING. @unit ms */
  deactivateMs: number;
  /** How long `load()` may take before the deployment fails. @unit ms */
  loadTimeoutMs: number;
  /** A synchronous predict's limit; Baseten's is 1200 s. @unit ms */
  predictTimeoutMs: number;
  /** How long a request to a scaled-to-zero deployment waits for the cold start. @unit ms */
  coldStartTimeoutMs: number;
  /**
   * Least time each step of a rolling promotion lasts (RELEASING, every RAMPING_UP percentage, the final RAMPING_DOWN);
   * an environment's `stabilization_time_seconds` makes steps longer, never shorter. @unit ms
   */
  rollingStepMs: number;
}

/**
 * Simulated phases short enough for tests and benchmarks (they measure real work: pip, model processes,
 * Temporal round trips), yet long enough that pollers see every status.
 */
export const fastTimings: Partial<EmulatorTimings> = {
  buildMs: 50,
  deployMs: 50,
  wakeMs: 50,
  deactivateMs: 50,
  rollingStepMs: 100,
};

/** Defaults for a human watching the CLI; tests and the bench pass fastTimings. */
export const defaultTimings: EmulatorTimings = {
  buildMs: 2000,
  deployMs: 1000,
  wakeMs: 1000,
  deactivateMs: 1000,
  loadTimeoutMs: 300_000,
  predictTimeoutMs: 1_200_000,
  coldStartTimeoutMs: 1_200_000,
  rollingStepMs: 2000,
};

export interface EmulatorLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** One management API response, for recording hooks (the OpenAPI conformance test uses it). */
export interface RecordedResponse {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

export interface EmulatorOptions {
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** The key every API call must present. @default a random key */
  apiKey?: string;
  /** Where the state snapshot and copied Truss sources live. @default a new temp dir */
  stateDir?: string;
  /** Where built requirement sets are cached (shared across runs). @default `<stateDir>/envs` */
  cacheDir?: string;
  timings?: Partial<EmulatorTimings>;
  /** Idle time before an ACTIVE deployment scales to zero. @default the deployment's scale_down_delay (900 s) @unit ms */
  scaleToZeroAfterMs?: number;
  rateLimits?: Partial<RateLimits>;
  logger?: EmulatorLogger;
  /** Called with every management API response. */
  onResponse?: (response: RecordedResponse) => void;
  /**
   * Starts model processes. @default a real Python process per deployment (the Truss's model.py). Only the bench's
   * scale run passes an in-process stand-in, to hold a thousand deployments on one machine.
   */
  startModelProcess?: ModelProcessStarter;
  /**
   * Write the state snapshot after every change, so a restart finds it. @default true. The bench's scale run turns
   * it off: rewriting the snapshot of thousands of deployments on each status change costs more than the run.
   */
  persistState?: boolean;
}

export interface ResolvedOptions {
  port: number;
  apiKey: string;
  stateDir: string;
  cacheDir: string;
  timings: EmulatorTimings;
  scaleToZeroAfterMs: number | undefined;
  rateLimits: RateLimits;
  logger: EmulatorLogger;
  onResponse: ((response: RecordedResponse) => void) | undefined;
  startModelProcess: ModelProcessStarter;
  persistState: boolean;
}

export const consoleLogger: EmulatorLogger = {
  info: (m) => console.log(`[emulator] ${m}`),
  warn: (m) => console.warn(`[emulator] ${m}`),
  error: (m) => console.error(`[emulator] ${m}`),
};

export function generateApiKey(): string {
  return `emu_${randomBytes(18).toString('base64url')}`;
}

export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  // Absolute, because model processes and unpacked Trusses are started from other working directories.
  const stateDir = path.resolve(options.stateDir ?? mkdtempSync(path.join(os.tmpdir(), 'baseten-emulator-')));
  if (options.scaleToZeroAfterMs !== undefined && !(options.scaleToZeroAfterMs > 0))
    throw new Error(`scaleToZeroAfterMs must be a positive number of ms, got ${options.scaleToZeroAfterMs}`);
  return {
    port: options.port ?? 0,
    apiKey: options.apiKey ?? generateApiKey(),
    stateDir,
    cacheDir: path.resolve(options.cacheDir ?? path.join(stateDir, 'envs')),
    timings: { ...defaultTimings, ...options.timings },
    scaleToZeroAfterMs: options.scaleToZeroAfterMs,
    rateLimits: { ...defaultRateLimits, ...options.rateLimits },
    logger: options.logger ?? consoleLogger,
    onResponse: options.onResponse,
    startModelProcess: options.startModelProcess ?? startModelProcess,
    persistState: options.persistState ?? true,
  };
}
