import { request } from 'undici';
import type {
  CreateDeploymentBody,
  DropFaultBody,
  HoldFaultBody,
  ManagementFaultBody,
  PredictionFaultBody,
  SlowFaultBody,
} from './control/schemas';
import type { PredictionFault } from './control/faults';
import type { HeldRequest } from './control/held-responses';
import type { ManagementFaultRule } from './control/management-faults';
import type { RequestLogEntry, RequestLogFilter } from './control/request-log';
import type { DeploymentStatus } from './state/types';
import type { DeploymentV1, ModelV1 } from './state/views';

export interface EmulatorControlOptions {
  /** The emulator's base URL, `http://127.0.0.1:PORT`. */
  url: string;
  apiKey: string;
  /** Per call. @default 30_000 @unit ms */
  timeoutMs?: number;
}

export interface DeploymentProcessInfo {
  id: string;
  modelId: string;
  status: DeploymentStatus;
  /** The model process, while one runs. */
  pid: number | null;
  port: number | null;
}

/** A control call the emulator refused. */
export class EmulatorControlError extends Error {
  override name = 'EmulatorControlError';
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
  }
}

/** Typed client for the emulator's /_emulator control endpoints (tests and the demo; never production code). */
export class EmulatorControl {
  private readonly timeoutMs: number;

  constructor(private readonly options: EmulatorControlOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Deploys a local Truss folder, as a push would. */
  createDeployment(body: CreateDeploymentBody): Promise<{ model: ModelV1; deployment: DeploymentV1 }> {
    return this.call('POST', '/_emulator/deployments', body);
  }

  deployment(deploymentId: string): Promise<DeploymentProcessInfo> {
    return this.call('GET', `/_emulator/deployments/${deploymentId}`);
  }

  /** UNHEALTHY while it serves, until the faults are cleared. */
  makeUnhealthy(deploymentId: string): Promise<void> {
    return this.call('POST', `/_emulator/deployments/${deploymentId}/unhealthy`);
  }

  /** FAILED, its model process stopped (activate brings it back). */
  fail(deploymentId: string, message?: string): Promise<void> {
    return this.call('POST', `/_emulator/deployments/${deploymentId}/fail`, message ? { message } : {});
  }

  /** SIGKILLs the model process: the emulator restarts it once, and a second crash makes the deployment FAILED. */
  async killModelProcess(deploymentId: string): Promise<number> {
    const result = await this.call<{ killed: number }>('POST', `/_emulator/deployments/${deploymentId}/kill`);
    return result.killed;
  }

  /** Adds latency and/or an error rate (0..1, answered 500 before reaching the model) to predictions. */
  setPredictionFaults(deploymentId: string, fault: PredictionFaultBody): Promise<PredictionFault> {
    return this.call('PUT', `/_emulator/deployments/${deploymentId}/prediction-faults`, fault);
  }

  clearDeploymentFaults(deploymentId: string): Promise<void> {
    return this.call('DELETE', `/_emulator/deployments/${deploymentId}/faults`);
  }

  /** The next build (of any deployment) fails with this message. */
  failNextBuild(message?: string): Promise<void> {
    return this.call('POST', '/_emulator/faults/next-build', message ? { message } : {});
  }

  // Management API faults. Each takes the calls that match `method` and the path pattern `path` (`*` within a
  // segment, `**` across segments, `{name}` as in the spec: `**/promote`), exactly the share `rate` of them
  // (deterministic: at 0.1 the 10th, 20th, ...), each pick with the next `burst - 1` calls, for `count` faulted
  // calls, for `durationMs`, or until cleared.
  // Every call, faulted or not, is in the request log (requests()).

  /**
   * Matching calls are not applied, and answered `status`: 5xx, 429 with `{error, retry_after}` and Retry-After, or
   * a permanent 400, 401, 403, 404 or 422 (with `message`, as Baseten would word it).
   */
  failManagement(fault: ManagementFaultBody): Promise<ManagementFaultRule> {
    return this.call('POST', '/_emulator/faults/management', fault);
  }

  /**
   * Matching calls are answered `delayMs` late, and applied: `apply: 'on-arrival'` (default) at once,
   * `'after-delay'` once the delay is over, even when the client has given up by then.
   */
  slowManagement(fault: SlowFaultBody): Promise<ManagementFaultRule> {
    return this.call('POST', '/_emulator/faults/management/slow', fault);
  }

  /** Matching calls get their connection destroyed with no answer, `before-apply` (no change) or `after-apply`. */
  dropManagement(fault: DropFaultBody): Promise<ManagementFaultRule> {
    return this.call('POST', '/_emulator/faults/management/drop', fault);
  }

  /**
   * Matching calls are applied, then their answers held back for `holdMs`, or until releaseHeld() (or
   * clearFaults()): how a crash test kills a worker between a side effect and the activity's completion.
   */
  holdManagement(fault: HoldFaultBody): Promise<ManagementFaultRule> {
    return this.call('POST', '/_emulator/faults/management/hold', fault);
  }

  /** The armed management faults, with how many calls each has matched and faulted. */
  async managementFaults(): Promise<ManagementFaultRule[]> {
    return (await this.call<{ faults: ManagementFaultRule[] }>('GET', '/_emulator/faults/management')).faults;
  }

  /** Disarms one management fault (answers it already holds stay held). */
  removeManagementFault(id: string): Promise<void> {
    return this.call('DELETE', `/_emulator/faults/management/${encodeURIComponent(id)}`);
  }

  /** Calls that have been applied and whose answers are held back right now. */
  async heldRequests(): Promise<HeldRequest[]> {
    return (await this.call<{ held: HeldRequest[] }>('GET', '/_emulator/faults/management/held')).held;
  }

  /** Lets held answers go: the one with this id, or all of them. Returns those released. */
  async releaseHeld(id?: string): Promise<HeldRequest[]> {
    const body = id === undefined ? {} : { id };
    return (await this.call<{ released: HeldRequest[] }>('POST', '/_emulator/faults/management/held/release', body))
      .released;
  }

  /** Removes every fault, and lets every held or slow answer go. */
  clearFaults(): Promise<void> {
    return this.call('DELETE', '/_emulator/faults');
  }

  /**
   * Management API calls so far, in arrival order, optionally filtered (method, path substring, since): each with
   * its arrival time, status, outcome (answered, held, dropped, ...), fault, and a 429's retryAfterSeconds.
   */
  async requests(filter: RequestLogFilter = {}): Promise<RequestLogEntry[]> {
    const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined));
    const suffix = query.size ? `?${query.toString()}` : '';
    return (await this.call<{ requests: RequestLogEntry[] }>('GET', `/_emulator/requests${suffix}`)).requests;
  }

  clearRequests(): Promise<void> {
    return this.call('DELETE', '/_emulator/requests');
  }

  private async call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await request(`${this.options.url}${path}`, {
      method,
      headers: { authorization: `Api-Key ${this.options.apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
    const text = await response.body.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (response.statusCode >= 400) {
      const message = parsed && typeof parsed === 'object' && 'message' in parsed ? String(parsed.message) : text;
      throw new EmulatorControlError(
        response.statusCode,
        parsed,
        `${method} ${path}: HTTP ${response.statusCode}: ${message}`,
      );
    }
    return parsed as T;
  }
}
