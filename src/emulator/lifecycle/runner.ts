import { setTimeout as delay } from 'node:timers/promises';
import {
  LoadError,
  ModelProcessExitedError,
  buildModelEnvironment,
  readTrussConfig,
  type BuiltEnvironment,
  type ModelProcess,
  type TrussConfig,
} from '../runtime';
import type { Faults } from '../control/faults';
import type { EmulatorLogger, EmulatorTimings, ModelProcessStarter } from '../options';
import type { DeploymentRecord, DeploymentStatus } from '../state/types';
import { HealthWindow } from './health';
import { IdleTimer } from './idle-timer';
import type { LogBook } from './log-book';

export interface RunnerContext {
  timings: EmulatorTimings;
  cacheDir: string;
  scaleToZeroAfterMs: number | undefined;
  faults: Faults;
  logs: LogBook;
  logger: EmulatorLogger;
  startModelProcess: ModelProcessStarter;
  /** Records the status, logs a lifecycle line, persists and wakes waiters. */
  setStatus(dep: DeploymentRecord, status: DeploymentStatus, note?: string): void;
  /** The deployment reached ACTIVE for the first time (finishes a pending promotion). */
  onFirstActive(dep: DeploymentRecord): void;
  /** The deployment failed before ever serving (fails a pending promotion). */
  onFailedBeforeActive(dep: DeploymentRecord, message: string): void;
}

/** Thrown inside a superseded operation to unwind it quietly. */
class Superseded extends Error {}

interface Step {
  signal: AbortSignal;
  /** Throws Superseded when a newer operation has started on this deployment. */
  check(): void;
}

/** Statuses from which a request waits for the deployment instead of failing. */
const wakingStatuses: ReadonlySet<DeploymentStatus> = new Set(['WAKING_UP', 'DEPLOYING', 'LOADING_MODEL']);

/**
 * Drives one deployment's model process through its statuses. Each operation (deploy, wake,
 * deactivate, ...) supersedes the one before it: a newer operation aborts the older one's waits,
 * and the older one stops at its next step without touching the status.
 */
export class DeploymentRunner {
  private op = 0;
  private abort = new AbortController();
  private process: ModelProcess | undefined;
  private config: TrussConfig | undefined;
  private environment: BuiltEnvironment | undefined;
  private restartsLeft = 1;
  private readonly idle = new IdleTimer(
    () => this.idleDelayMs(),
    (ms) => this.scaleToZero(`No requests for ${ms} ms`),
  );
  private forcedUnhealthy = false;
  private readonly health = new HealthWindow();

  constructor(
    readonly dep: DeploymentRecord,
    private readonly ctx: RunnerContext,
  ) {}

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get port(): number | undefined {
    return this.process?.port;
  }

  /** A request arriving now will be served once the deployment finishes waking. */
  get isWaking(): boolean {
    return this.dep.everActive && (wakingStatuses.has(this.dep.status) || this.dep.status === 'SCALED_TO_ZERO');
  }

  /** BUILDING → DEPLOYING → LOADING_MODEL → ACTIVE, from the Truss source. */
  deploy(): void {
    this.run(async (step) => {
      this.restartsLeft = 1;
      if (!(await this.build(step))) return;
      this.status('DEPLOYING');
      await delay(this.ctx.timings.deployMs, undefined, { signal: step.signal });
      step.check();
      await this.load(step, this.dep.everActive ? 'FAILED' : 'DEPLOY_FAILED');
    });
  }

  /** From INACTIVE or FAILED: DEPLOYING → LOADING_MODEL → ACTIVE (a full build if it never built). */
  activate(): void {
    if (this.dep.status === 'SCALED_TO_ZERO') return this.wake();
    if (!['INACTIVE', 'DEACTIVATING', 'FAILED'].includes(this.dep.status)) return;
    if (!this.dep.everActive) return this.deploy();
    this.run(async (step) => {
      this.restartsLeft = 1;
      this.status('DEPLOYING');
      await Promise.all([this.prepare(step), delay(this.ctx.timings.deployMs, undefined, { signal: step.signal })]);
      step.check();
      await this.load(step, 'FAILED');
    });
  }

  /** SCALED_TO_ZERO → WAKING_UP → LOADING_MODEL → ACTIVE; anything else is left alone. */
  wake(): void {
    if (this.dep.status !== 'SCALED_TO_ZERO') return;
    this.run(async (step) => {
      this.restartsLeft = 1;
      this.status('WAKING_UP');
      await Promise.all([this.prepare(step), delay(this.ctx.timings.wakeMs, undefined, { signal: step.signal })]);
      step.check();
      await this.load(step, 'FAILED');
    });
  }

  /** → DEACTIVATING → INACTIVE, with the model process stopped. */
  deactivate(): void {
    if (this.dep.status === 'INACTIVE' || this.dep.status === 'DEACTIVATING') return;
    this.run(async (step) => {
      this.status('DEACTIVATING');
      await this.stopProcess();
      await delay(this.ctx.timings.deactivateMs, undefined, { signal: step.signal });
      step.check();
      this.status('INACTIVE');
    });
  }

  /** Stops the process of a deployment that has served before; it wakes again on demand. */
  scaleToZero(reason: string): void {
    if (!this.dep.everActive || !scalableStatuses.has(this.dep.status)) return;
    this.run(async (step) => {
      await this.stopProcess();
      step.check();
      this.status('SCALED_TO_ZERO', reason);
    });
  }

  /** Fault: the deployment fails for good (until activated), its process stopped. */
  fail(message: string): void {
    this.run(async (step) => {
      await this.stopProcess();
      step.check();
      this.status('FAILED', message, 'ERROR');
      if (!this.dep.everActive) this.ctx.onFailedBeforeActive(this.dep, message);
    });
  }

  /** Fault: UNHEALTHY while serving, until cleared. */
  setForcedUnhealthy(on: boolean): void {
    this.forcedUnhealthy = on;
    this.updateHealth();
  }

  /** Fault: SIGKILL the model process, as a crash would (the restart path runs). */
  killProcess(): boolean {
    const pid = this.process?.pid;
    if (pid === undefined) return false;
    process.kill(pid, 'SIGKILL');
    return true;
  }

  /** Sends one prediction to the model process, which the caller made sure is serving. */
  async predict(body: unknown): Promise<{ status: number; body: unknown }> {
    const proc = this.process;
    if (!proc) throw new ModelProcessExitedError(`Deployment ${this.dep.id} has no running model process`);
    this.idle.requestStarted();
    try {
      const result = await proc.predict(body, { timeoutMs: this.ctx.timings.predictTimeoutMs });
      this.recordResult(result.status >= 500);
      return result;
    } catch (err) {
      this.recordResult(true);
      throw err;
    } finally {
      this.idle.requestFinished();
    }
  }

  /** Counts a prediction that failed before reaching the model (an injected error). */
  recordResult(failed: boolean): void {
    this.health.record(failed);
    this.updateHealth();
  }

  /** Settings changed: re-arm the idle timer with the new scale-down delay. */
  settingsChanged(): void {
    this.idle.restart();
  }

  /** Stops everything without changing the status (emulator shutdown, deployment deleted). */
  async close(): Promise<void> {
    this.op++;
    this.abort.abort();
    this.idle.stop();
    await this.stopProcess();
  }

  private run(task: (step: Step) => Promise<void>): void {
    const op = ++this.op;
    this.abort.abort();
    const controller = new AbortController();
    this.abort = controller;
    this.idle.stop();
    const step: Step = {
      signal: controller.signal,
      check: () => {
        if (op !== this.op) throw new Superseded();
      },
    };
    task(step).catch((err: unknown) => {
      if (err instanceof Superseded || controller.signal.aborted) return;
      this.ctx.logger.error(`deployment ${this.dep.id}: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  private async build(step: Step): Promise<boolean> {
    this.status('BUILDING');
    try {
      await Promise.all([this.prepare(step), delay(this.ctx.timings.buildMs, undefined, { signal: step.signal })]);
    } catch (err) {
      step.check();
      if (step.signal.aborted) throw new Superseded();
      const message = `Build failed: ${err instanceof Error ? err.message : String(err)}`;
      this.status('BUILD_FAILED', message, 'ERROR');
      this.ctx.onFailedBeforeActive(this.dep, message);
      return false;
    }
    step.check();
    return true;
  }

  /** Reads the config and builds (or finds in the cache) the requirements. */
  private async prepare(step: Step): Promise<void> {
    if (this.config && this.environment) return;
    const injected = this.ctx.faults.takeBuildFailure();
    if (injected !== undefined) throw new Error(injected);
    const config = await readTrussConfig(this.dep.trussDir);
    step.check();
    const environment = await buildModelEnvironment(this.dep.trussDir, config, {
      cacheDir: this.ctx.cacheDir,
      signal: step.signal,
      onLog: (line) => this.ctx.logs.add(this.dep.id, line, 'INFO'),
    });
    step.check();
    this.config = config;
    this.environment = environment;
  }

  private async load(step: Step, failStatus: 'DEPLOY_FAILED' | 'FAILED'): Promise<void> {
    const { config, environment } = this;
    if (!config || !environment) throw new Error('load before prepare');
    this.status('LOADING_MODEL');
    let started: ModelProcess | undefined;
    try {
      started = await this.ctx.startModelProcess({
        trussDir: this.dep.trussDir,
        config,
        environment,
        loadTimeoutMs: this.ctx.timings.loadTimeoutMs,
        signal: step.signal,
        onLog: (line) => this.ctx.logs.add(this.dep.id, line, null, 'r0'),
        onExit: (exit) => {
          if (started && this.process === started && !exit.expected) this.onUnexpectedExit(exit.code, exit.signal);
        },
      });
    } catch (err) {
      step.check();
      const message = `Model failed to load: ${err instanceof Error ? err.message : String(err)}`;
      if (err instanceof LoadError && err.traceback) this.ctx.logs.add(this.dep.id, err.traceback, 'ERROR');
      this.status(failStatus, message, 'ERROR');
      if (!this.dep.everActive) this.ctx.onFailedBeforeActive(this.dep, message);
      return;
    }
    try {
      step.check();
    } catch (err) {
      await started.kill();
      throw err;
    }
    this.process = started;
    this.health.reset();
    const first = !this.dep.everActive;
    this.dep.everActive = true;
    this.status(this.forcedUnhealthy ? 'UNHEALTHY' : 'ACTIVE');
    if (first) this.ctx.onFirstActive(this.dep);
    this.idle.restart();
  }

  private onUnexpectedExit(code: number | null, signal: string | null): void {
    this.process = undefined;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (this.restartsLeft > 0) {
      this.restartsLeft--;
      this.ctx.logs.add(this.dep.id, `Model process exited unexpectedly (${how}); restarting`, 'WARNING');
      this.run((step) => this.load(step, 'FAILED'));
      return;
    }
    this.run(async () => this.status('FAILED', `Model process exited unexpectedly (${how}) after a restart`, 'ERROR'));
  }

  private async stopProcess(): Promise<void> {
    const proc = this.process;
    this.process = undefined;
    this.idle.stop();
    if (proc) await proc.kill();
  }

  private updateHealth(): void {
    if (this.dep.status !== 'ACTIVE' && this.dep.status !== 'UNHEALTHY') return;
    const next = this.forcedUnhealthy || this.health.unhealthy ? 'UNHEALTHY' : 'ACTIVE';
    if (next !== this.dep.status) this.status(next);
  }

  private idleDelayMs(): number | undefined {
    if (this.dep.status !== 'ACTIVE' && this.dep.status !== 'UNHEALTHY') return undefined;
    if (this.dep.autoscaling.min_replica > 0) return undefined;
    return this.ctx.scaleToZeroAfterMs ?? (this.dep.autoscaling.scale_down_delay ?? 900) * 1000;
  }

  private status(status: DeploymentStatus, note?: string, level?: 'ERROR'): void {
    this.ctx.setStatus(this.dep, status, note);
    if (note) this.ctx.logs.add(this.dep.id, note, level ?? 'INFO');
  }
}

const scalableStatuses: ReadonlySet<DeploymentStatus> = new Set([
  'ACTIVE',
  'UNHEALTHY',
  'WAKING_UP',
  'DEPLOYING',
  'LOADING_MODEL',
]);
