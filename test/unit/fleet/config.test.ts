import { ConfigError } from '../../../src/config/env-schema';
import { loadWorkerConfig } from '../../../src/fleet/config';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadWorkerConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('worker configuration from the environment', () => {
  it('needs only the Baseten API key; everything else has a default', () => {
    expect(loadWorkerConfig({ BASETEN_API_KEY: 'k-123' })).toEqual({
      temporal: {
        address: 'localhost:7233',
        namespace: 'default',
        taskQueue: 'baseten-cd',
        uiUrl: 'http://localhost:8233',
        apiKey: undefined,
        tls: undefined,
      },
      basetenApiKey: 'k-123',
      basetenApiUrl: undefined,
      basetenInferenceUrl: undefined,
      maxConcurrentActivities: 1000,
      apiRateLimitPerSecond: 80,
    });
  });

  it('reads the Temporal settings the CLI reads, and the Baseten ones, treating blank variables as unset', () => {
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
      temporal: { address: 'ns.acct.tmprl.cloud:7233', namespace: 'ns.acct', taskQueue: 'baseten-cd', apiKey: 'tk' },
      basetenApiKey: 'k-123',
      basetenApiUrl: 'http://127.0.0.1:8880',
      basetenInferenceUrl: 'http://127.0.0.1:8880/inference/{model_id}',
    });
  });

  it('names every bad or missing variable, Temporal and Baseten alike, one line each', () => {
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
      'TEMPORAL_TLS_KEY is required with TEMPORAL_TLS_CERT (mTLS needs both files)',
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

  it('reads the metrics port and the webhook URL, both off by default', () => {
    expect(loadWorkerConfig({ BASETEN_API_KEY: 'k' })).toMatchObject({ metricsPort: undefined, webhookUrl: undefined });
    expect(
      loadWorkerConfig({
        BASETEN_API_KEY: 'k',
        BASETEN_CD_METRICS_PORT: ' 9464 ',
        BASETEN_CD_WEBHOOK_URL: 'https://hooks.slack.test/services/T/B/x',
      }),
    ).toMatchObject({ metricsPort: 9464, webhookUrl: 'https://hooks.slack.test/services/T/B/x' });
  });

  it('refuses a metrics port that is not one and a webhook that is not an http(s) URL, without echoing it', () => {
    const lines = problems({
      BASETEN_API_KEY: 'k',
      BASETEN_CD_METRICS_PORT: '70000',
      BASETEN_CD_WEBHOOK_URL: 'hooks.slack.test/secret-path',
    });
    expect(lines).toEqual([
      'BASETEN_CD_WEBHOOK_URL must be an http(s) URL',
      'BASETEN_CD_METRICS_PORT must be a port number, 1..65535',
    ]);
    expect(problems({ BASETEN_API_KEY: 'k', BASETEN_CD_METRICS_PORT: 'http' })).toEqual([
      'BASETEN_CD_METRICS_PORT must be a port number, 1..65535',
    ]);
    expect(lines.join('\n')).not.toContain('secret-path');
  });

  it('reads how many activities run at once and the API rate limit, so one worker can watch many models', () => {
    expect(
      loadWorkerConfig({
        BASETEN_API_KEY: 'k',
        BASETEN_CD_MAX_CONCURRENT_ACTIVITIES: ' 2500 ',
        BASETEN_CD_API_RATE_LIMIT: '45.5',
      }),
    ).toMatchObject({ maxConcurrentActivities: 2500, apiRateLimitPerSecond: 45.5 });
    expect(
      problems({ BASETEN_API_KEY: 'k', BASETEN_CD_MAX_CONCURRENT_ACTIVITIES: '0', BASETEN_CD_API_RATE_LIMIT: '-1' }),
    ).toEqual([
      'BASETEN_CD_MAX_CONCURRENT_ACTIVITIES must be a whole number from 1 to 100000',
      'BASETEN_CD_API_RATE_LIMIT must be a positive number of requests per second, e.g. 90',
    ]);
    expect(
      problems({ BASETEN_API_KEY: 'k', BASETEN_CD_API_RATE_LIMIT: '0', BASETEN_CD_MAX_CONCURRENT_ACTIVITIES: '1.5' }),
    ).toHaveLength(2);
    // A million slots could never be served (each watched model calls Baseten every interval).
    expect(problems({ BASETEN_API_KEY: 'k', BASETEN_CD_MAX_CONCURRENT_ACTIVITIES: '1000000' })).toEqual([
      'BASETEN_CD_MAX_CONCURRENT_ACTIVITIES must be a whole number from 1 to 100000',
    ]);
  });
});
