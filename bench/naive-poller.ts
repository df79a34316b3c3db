import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

/** Where the poller looks and what it promotes. */
export interface NaivePollerOptions {
  managementUrl: string;
  apiKey: string;
  modelId: string;
  /** The deployment to promote back when production turns bad. */
  previousDeploymentId: string;
  intervalMs: number;
}

export interface NaivePoller {
  /** When it first read production's status (epoch ms). */
  readonly firstPollAt: number | undefined;
  /** When it sent the promote (epoch ms), once it has. */
  readonly promotedAt: number | undefined;
  stop(): void;
}

const requestTimeoutMs = 30_000;

/**
 * The bench's baseline: the polling script Baseten's CI/CD guide suggests, written plainly. Every interval it reads
 * the production deployment's status; on UNHEALTHY or FAILED it promotes the previous deployment, once, and stops.
 * No confirmation, no waking, no check that the promotion worked.
 */
export function startNaivePoller(options: NaivePollerOptions): NaivePoller {
  const headers = { authorization: `Api-Key ${options.apiKey}`, 'content-type': 'application/json' };
  const base = `${options.managementUrl}/v1/models/${options.modelId}/deployments`;
  const state: { firstPollAt?: number; promotedAt?: number; stopped: boolean } = { stopped: false };

  const poll = async (): Promise<void> => {
    while (!state.stopped) {
      const started = Date.now();
      state.firstPollAt ??= started;
      const response = await request(`${base}/production`, {
        headers,
        headersTimeout: requestTimeoutMs,
        bodyTimeout: requestTimeoutMs,
      });
      const body = (await response.body.json().catch(() => ({}))) as { status?: string };
      if (body.status === 'UNHEALTHY' || body.status === 'FAILED') {
        state.promotedAt = Date.now();
        const promoted = await request(`${base}/${options.previousDeploymentId}/promote`, {
          method: 'POST',
          headers,
          body: '{}',
          headersTimeout: requestTimeoutMs,
          bodyTimeout: requestTimeoutMs,
        });
        await promoted.body.text();
        return;
      }
      await sleep(Math.max(0, started + options.intervalMs - Date.now()));
    }
  };
  poll().catch((err: unknown) => console.error(`  naive poller of ${options.modelId}: ${String(err)}`));

  return {
    get firstPollAt() {
      return state.firstPollAt;
    },
    get promotedAt() {
      return state.promotedAt;
    },
    stop() {
      state.stopped = true;
    },
  };
}
