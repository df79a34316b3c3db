import { z } from 'zod';
import { httpUrlEnv, optionalEnv, parseEnv, requiredEnv, type EnvDoc } from '../config/env-schema';
import {
  temporalCombinationProblems,
  temporalEnvShape,
  temporalSettingsFrom,
  type TemporalSettings,
} from '../temporal/settings';

/** Configuration of a fleet worker, read once from the environment. Secrets stay here, never in workflow input. */
export interface WorkerConfig {
  /** Where Temporal is and which task queue releases run on (see temporal/settings.ts). */
  temporal: TemporalSettings;
  /** BASETEN_API_KEY. Required; never logged. */
  basetenApiKey: string;
  /** BASETEN_API_URL. @default the Baseten client's default (https://api.baseten.co) */
  basetenApiUrl?: string;
  /** BASETEN_INFERENCE_URL: a template containing `{model_id}`. @default https://model-{model_id}.api.baseten.co */
  basetenInferenceUrl?: string;
  /**
   * BASETEN_CD_WEBHOOK_URL: where release and watcher notifications are POSTed (a Slack incoming webhook, or
   * any receiver of JSON). A secret (it often embeds a token): never logged, never in Temporal. @default off
   */
  webhookUrl?: string;
  /** BASETEN_CD_METRICS_PORT: serve Prometheus metrics on 0.0.0.0:PORT/metrics. @default off */
  metricsPort?: number;
  /**
   * BASETEN_CD_MAX_CONCURRENT_ACTIVITIES: activities this worker runs at once. Each watched model holds one (its
   * observation slice runs for 30 minutes), so this bounds the models one worker can watch; releases need a few
   * more. @default 1000
   */
  maxConcurrentActivities: number;
  /**
   * BASETEN_CD_API_RATE_LIMIT: management API calls this worker sends a second to each endpoint, spaced evenly.
   * Baseten allows 100 per endpoint and API key: workers sharing a key split that. The default keeps a fifth in
   * reserve, because calls sent evenly do not arrive evenly (npm run bench: 80/s sent peak at 83 in one second).
   * @default 80 @unit requests/s
   */
  apiRateLimitPerSecond: number;
}

export const workerDefaults = { maxConcurrentActivities: 1000, apiRateLimitPerSecond: 80 } as const;

/** The Baseten variables a worker reads (the `worker --help` text, after the Temporal ones). */
export const basetenEnvironment: readonly EnvDoc[] = [
  ['BASETEN_API_KEY', 'Baseten API key (required)'],
  ['BASETEN_API_URL', 'Baseten management API base URL (default https://api.baseten.co)'],
  ['BASETEN_INFERENCE_URL', 'inference URL template with {model_id} (default https://model-{model_id}.api.baseten.co)'],
];

/** The fleet's own options (the `worker --help` text, after the Baseten ones). */
export const fleetEnvironment: readonly EnvDoc[] = [
  [
    'BASETEN_CD_METRICS_PORT',
    "serve Prometheus metrics (Temporal's and baseten-cd's) on 0.0.0.0:PORT/metrics (default off)",
  ],
  [
    'BASETEN_CD_WEBHOOK_URL',
    'POST a JSON notification (Slack-compatible) on promotion, rejection and revert (default off)',
  ],
  [
    'BASETEN_CD_MAX_CONCURRENT_ACTIVITIES',
    `activities run at once: one per watched model, plus a few per release (default ${workerDefaults.maxConcurrentActivities})`,
  ],
  [
    'BASETEN_CD_API_RATE_LIMIT',
    `Baseten management calls per second per endpoint, spaced evenly; Baseten allows 100 per API key, so workers sharing a key split it (default ${workerDefaults.apiRateLimitPerSecond})`,
  ],
];

const isPort = (v: string) => /^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65_535;
/** More activity slots than this could never be served: each watched model calls Baseten every interval. */
const maxConcurrentActivities = 100_000;
const isSlotCount = (v: string) => /^\d{1,7}$/.test(v) && Number(v) >= 1 && Number(v) <= maxConcurrentActivities;
const isRate = (v: string) => /^\d{1,6}(\.\d+)?$/.test(v) && Number(v) > 0;

const envSchema = z.object({
  ...temporalEnvShape,
  BASETEN_API_KEY: requiredEnv('the Baseten API key'),
  BASETEN_API_URL: httpUrlEnv(),
  BASETEN_INFERENCE_URL: httpUrlEnv(' containing {model_id}').refine(
    (v) => v === undefined || v.includes('{model_id}'),
    {
      message: 'must contain {model_id}, e.g. https://model-{model_id}.api.baseten.co',
    },
  ),
  BASETEN_CD_WEBHOOK_URL: httpUrlEnv(),
  BASETEN_CD_METRICS_PORT: optionalEnv.refine((v) => v === undefined || isPort(v), {
    message: 'must be a port number, 1..65535',
  }),
  BASETEN_CD_MAX_CONCURRENT_ACTIVITIES: optionalEnv.refine((v) => v === undefined || isSlotCount(v), {
    message: `must be a whole number from 1 to ${maxConcurrentActivities}`,
  }),
  BASETEN_CD_API_RATE_LIMIT: optionalEnv.refine((v) => v === undefined || isRate(v), {
    message: 'must be a positive number of requests per second, e.g. 90',
  }),
});

/** Reads and checks the worker's environment; throws ConfigError listing every bad or missing variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const e = parseEnv(envSchema, env, temporalCombinationProblems(env));
  return {
    temporal: temporalSettingsFrom(e),
    basetenApiKey: e.BASETEN_API_KEY,
    basetenApiUrl: e.BASETEN_API_URL,
    basetenInferenceUrl: e.BASETEN_INFERENCE_URL,
    webhookUrl: e.BASETEN_CD_WEBHOOK_URL,
    metricsPort: e.BASETEN_CD_METRICS_PORT === undefined ? undefined : Number(e.BASETEN_CD_METRICS_PORT),
    maxConcurrentActivities: Number(e.BASETEN_CD_MAX_CONCURRENT_ACTIVITIES ?? workerDefaults.maxConcurrentActivities),
    apiRateLimitPerSecond: Number(e.BASETEN_CD_API_RATE_LIMIT ?? workerDefaults.apiRateLimitPerSecond),
  };
}
