import { z } from 'zod';

/** Configuration of a fleet worker, read once from the environment. Secrets stay here, never in workflow input. */
export interface WorkerConfig {
  /** TEMPORAL_ADDRESS: host:port of the Temporal frontend. @default localhost:7233 */
  temporalAddress: string;
  /** TEMPORAL_NAMESPACE. @default default */
  namespace: string;
  /** BASETEN_CD_TASK_QUEUE: where releases are scheduled. @default baseten-cd */
  taskQueue: string;
  /** TEMPORAL_API_KEY (Temporal Cloud, TLS on), or mTLS certificate and key file paths; neither for plain TCP. */
  temporalAuth:
    { kind: 'none' } | { kind: 'apiKey'; apiKey: string } | { kind: 'mtls'; certPath: string; keyPath: string };
  /** BASETEN_API_KEY. Required; never logged. */
  basetenApiKey: string;
  /** BASETEN_API_URL. @default the Baseten client's default (https://api.baseten.co) */
  basetenApiUrl?: string;
  /** BASETEN_INFERENCE_URL: a template containing `{model_id}`. @default https://model-{model_id}.api.baseten.co */
  basetenInferenceUrl?: string;
}

/** The variables a worker reads, with what each is for (the `worker --help` text). */
export const workerEnvironment: Array<[string, string]> = [
  ['TEMPORAL_ADDRESS', 'host:port of the Temporal frontend (default localhost:7233)'],
  ['TEMPORAL_NAMESPACE', 'Temporal namespace (default "default")'],
  ['BASETEN_CD_TASK_QUEUE', 'task queue the releases run on (default baseten-cd)'],
  ['TEMPORAL_API_KEY', 'Temporal Cloud API key (turns TLS on); not together with the mTLS files'],
  ['TEMPORAL_TLS_CERT', 'mTLS client certificate file (with TEMPORAL_TLS_KEY)'],
  ['TEMPORAL_TLS_KEY', 'mTLS client private key file (with TEMPORAL_TLS_CERT)'],
  ['BASETEN_API_KEY', 'Baseten API key (required)'],
  ['BASETEN_API_URL', 'Baseten management API base URL (default https://api.baseten.co)'],
  ['BASETEN_INFERENCE_URL', 'inference URL template with {model_id} (default https://model-{model_id}.api.baseten.co)'],
];

/** Bad worker configuration: one line per variable at fault. Never contains a secret's value. */
export class WorkerConfigError extends Error {
  override name = 'WorkerConfigError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

// Blank means unset: CI systems often export empty variables.
const blankAsUnset = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const optional = z.preprocess(blankAsUnset, z.string().optional());
const required = (what: string) => z.preprocess(blankAsUnset, z.string({ error: `is required (${what})` }));

const httpUrl = (hint: string) =>
  optional.refine((v) => v === undefined || /^https?:\/\/[^\s/]+/.test(v), {
    message: `must be an http(s) URL${hint}`,
  });

const envSchema = z.object({
  TEMPORAL_ADDRESS: optional.refine((v) => v === undefined || /^[^\s:/]+:\d{1,5}$/.test(v), {
    message: 'must be host:port, e.g. localhost:7233',
  }),
  TEMPORAL_NAMESPACE: optional,
  BASETEN_CD_TASK_QUEUE: optional,
  TEMPORAL_API_KEY: optional,
  TEMPORAL_TLS_CERT: optional,
  TEMPORAL_TLS_KEY: optional,
  BASETEN_API_KEY: required('the Baseten API key'),
  BASETEN_API_URL: httpUrl(''),
  BASETEN_INFERENCE_URL: httpUrl(' containing {model_id}').refine((v) => v === undefined || v.includes('{model_id}'), {
    message: 'must contain {model_id}, e.g. https://model-{model_id}.api.baseten.co',
  }),
});

/** Rules across variables, checked even when a single variable is already wrong (so every problem shows at once). */
function combinationProblems(env: NodeJS.ProcessEnv): string[] {
  const [apiKey, cert, key] = ['TEMPORAL_API_KEY', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'].map((name) =>
    blankAsUnset(env[name]),
  );
  const problems: string[] = [];
  if (Boolean(cert) !== Boolean(key)) {
    problems.push(`${cert ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT'} is required with the other mTLS file`);
  }
  if (apiKey && (cert || key)) {
    problems.push(
      'TEMPORAL_API_KEY and TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY are exclusive: use an API key or mTLS, not both',
    );
  }
  return problems;
}

/** Reads and checks the worker's environment; throws WorkerConfigError listing every bad or missing variable. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = envSchema.safeParse(env);
  // Messages name the variable and the rule, never the value (it may be a key).
  const problems = [
    ...(parsed.error?.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`) ?? []),
    ...combinationProblems(env),
  ];
  if (!parsed.success || problems.length > 0) throw new WorkerConfigError(problems);
  const e = parsed.data;
  let temporalAuth: WorkerConfig['temporalAuth'] = { kind: 'none' };
  if (e.TEMPORAL_API_KEY) temporalAuth = { kind: 'apiKey', apiKey: e.TEMPORAL_API_KEY };
  else if (e.TEMPORAL_TLS_CERT && e.TEMPORAL_TLS_KEY) {
    temporalAuth = { kind: 'mtls', certPath: e.TEMPORAL_TLS_CERT, keyPath: e.TEMPORAL_TLS_KEY };
  }
  return {
    temporalAddress: e.TEMPORAL_ADDRESS ?? 'localhost:7233',
    namespace: e.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: e.BASETEN_CD_TASK_QUEUE ?? 'baseten-cd',
    temporalAuth,
    basetenApiKey: e.BASETEN_API_KEY,
    basetenApiUrl: e.BASETEN_API_URL,
    basetenInferenceUrl: e.BASETEN_INFERENCE_URL,
  };
}
