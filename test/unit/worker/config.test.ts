import { loadWorkerConfig, WorkerConfigError } from '../../../src/worker/config';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadWorkerConfig(env);
  } catch (err) {
    if (err instanceof WorkerConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a WorkerConfigError');
}

describe('worker configuration from the environment', () => {
  it('needs only the Baseten API key; everything else has a default', () => {
    expect(loadWorkerConfig({ BASETEN_API_KEY: 'k-123' })).toEqual({
      temporalAddress: 'localhost:7233',
      namespace: 'default',
      taskQueue: 'baseten-cd',
      temporalAuth: { kind: 'none' },
      basetenApiKey: 'k-123',
      basetenApiUrl: undefined,
      basetenInferenceUrl: undefined,
    });
  });

  it('reads Temporal Cloud and Baseten settings, treating blank variables as unset', () => {
    const config = loadWorkerConfig({
      BASETEN_API_KEY: ' k-123 ',
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'ns.acct',
      TEMPORAL_API_KEY: 'tk',
      BASETEN_CD_TASK_QUEUE: '',
      BASETEN_API_URL: 'http://127.0.0.1:8880',
      BASETEN_INFERENCE_URL: 'http://127.0.0.1:8880/inference/{model_id}',
    });
    expect(config).toMatchObject({
      temporalAddress: 'ns.acct.tmprl.cloud:7233',
      namespace: 'ns.acct',
      taskQueue: 'baseten-cd',
      temporalAuth: { kind: 'apiKey', apiKey: 'tk' },
      basetenApiKey: 'k-123',
      basetenInferenceUrl: 'http://127.0.0.1:8880/inference/{model_id}',
    });
  });

  it('reads mTLS certificate and key paths', () => {
    expect(
      loadWorkerConfig({ BASETEN_API_KEY: 'k', TEMPORAL_TLS_CERT: '/c.pem', TEMPORAL_TLS_KEY: '/k.pem' }).temporalAuth,
    ).toEqual({ kind: 'mtls', certPath: '/c.pem', keyPath: '/k.pem' });
  });

  it('names every bad or missing variable, one line each', () => {
    expect(
      problems({
        TEMPORAL_ADDRESS: 'no-port',
        BASETEN_INFERENCE_URL: 'https://inference.example.test',
        TEMPORAL_TLS_CERT: '/c.pem',
      }),
    ).toEqual([
      'TEMPORAL_ADDRESS must be host:port, e.g. localhost:7233',
      'BASETEN_API_KEY is required (the Baseten API key)',
      'BASETEN_INFERENCE_URL must contain {model_id}, e.g. https://model-{model_id}.api.baseten.co',
      'TEMPORAL_TLS_KEY is required with the other mTLS file',
    ]);
  });

  it('refuses an API key together with mTLS, without echoing either secret', () => {
    const lines = problems({
      BASETEN_API_KEY: 'secret-baseten-key',
      TEMPORAL_API_KEY: 'secret-temporal-key',
      TEMPORAL_TLS_CERT: '/c.pem',
      TEMPORAL_TLS_KEY: '/k.pem',
    });
    expect(lines).toEqual([
      'TEMPORAL_API_KEY and TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY are exclusive: use an API key or mTLS, not both',
    ]);
    expect(lines.join('\n')).not.toMatch(/secret-/);
  });
});
