import { z } from 'zod';
import { httpUrlEnv, parseEnv, requiredEnv, type EnvDoc } from '../config/env-schema';
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
}

/** The Baseten variables a worker reads (the `worker --help` text, after the Temporal ones). */
export const basetenEnvironment: readonly EnvDoc[] = [
  ['BASETEN_API_KEY', 'Baseten API key (required)'],
  ['BASETEN_API_URL', 'Baseten management API base URL (default https://api.baseten.co)'],
  ['BASETEN_INFERENCE_URL', 'inference URL template with {model_id} (default https://model-{model_id}.api.baseten.co)'],
];

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
});

/** Reads and checks the worker's environment; throws ConfigError listing every bad or missing variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const e = parseEnv(envSchema, env, temporalCombinationProblems(env));
  return {
    temporal: temporalSettingsFrom(e),
    basetenApiKey: e.BASETEN_API_KEY,
    basetenApiUrl: e.BASETEN_API_URL,
    basetenInferenceUrl: e.BASETEN_INFERENCE_URL,
  };
}
