import { ConfigError } from '../../../src/config/env-schema';
import { temporalSettingsFromEnv } from '../../../src/temporal/settings';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    temporalSettingsFromEnv(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('Temporal settings from the environment', () => {
  it('defaults to a local dev server over plain TCP', () => {
    expect(temporalSettingsFromEnv({})).toEqual({
      address: 'localhost:7233',
      namespace: 'default',
      taskQueue: 'baseten-cd',
      uiUrl: 'http://localhost:8233',
      apiKey: undefined,
      tls: undefined,
    });
  });

  it('reads Temporal Cloud settings, treating blank variables as unset', () => {
    expect(
      temporalSettingsFromEnv({
        TEMPORAL_ADDRESS: ' ns.acct.tmprl.cloud:7233 ',
        TEMPORAL_NAMESPACE: 'ns.acct',
        TEMPORAL_API_KEY: 'tk',
        BASETEN_CD_TASK_QUEUE: '  ',
        TEMPORAL_UI_URL: '',
      }),
    ).toMatchObject({
      address: 'ns.acct.tmprl.cloud:7233',
      namespace: 'ns.acct',
      taskQueue: 'baseten-cd',
      uiUrl: 'https://cloud.temporal.io',
      apiKey: 'tk',
      tls: {},
    });
  });

  it('turns TLS on for mTLS files, a CA, a server name, or TEMPORAL_TLS=true', () => {
    expect(
      temporalSettingsFromEnv({
        TEMPORAL_TLS_CERT: '/c.pem',
        TEMPORAL_TLS_KEY: '/k.pem',
        TEMPORAL_TLS_CA: '/ca.pem',
        TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      }).tls,
    ).toEqual({
      clientCert: { certPath: '/c.pem', keyPath: '/k.pem' },
      caPath: '/ca.pem',
      serverName: 'temporal.internal',
    });
    expect(temporalSettingsFromEnv({ TEMPORAL_TLS: 'true' }).tls).toEqual({});
    expect(temporalSettingsFromEnv({ TEMPORAL_TLS: 'false' }).tls).toBeUndefined();
  });

  it('accepts bracketed IPv6 addresses and an explicit UI URL', () => {
    expect(
      temporalSettingsFromEnv({ TEMPORAL_ADDRESS: '[::1]:7233', TEMPORAL_UI_URL: 'https://ui.example.test/' }),
    ).toMatchObject({ address: '[::1]:7233', uiUrl: 'https://ui.example.test' });
  });

  it('names every bad variable on its own line', () => {
    expect(
      problems({
        TEMPORAL_ADDRESS: 'no-port',
        TEMPORAL_TLS: 'yes',
        TEMPORAL_UI_URL: 'ui.example.test',
        TEMPORAL_TLS_CERT: '/c.pem',
      }),
    ).toEqual([
      'TEMPORAL_ADDRESS must be host:port, e.g. localhost:7233',
      'TEMPORAL_TLS must be true or false',
      'TEMPORAL_UI_URL must be an http(s) URL',
      'TEMPORAL_TLS_KEY is required with TEMPORAL_TLS_CERT (mTLS needs both files)',
    ]);
  });

  it('refuses an API key together with mTLS, without echoing the key', () => {
    const lines = problems({
      TEMPORAL_API_KEY: 'secret-temporal-key',
      TEMPORAL_TLS_CERT: '/c.pem',
      TEMPORAL_TLS_KEY: '/k.pem',
    });
    expect(lines).toEqual([
      'TEMPORAL_API_KEY and TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY are exclusive: use an API key or mTLS, not both',
    ]);
    expect(lines.join('\n')).not.toMatch(/secret-/);
  });

  it('refuses TEMPORAL_TLS=false next to settings that need TLS', () => {
    expect(problems({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'secret-temporal-key' })).toEqual([
      'TEMPORAL_TLS is false, but TEMPORAL_API_KEY need(s) TLS',
    ]);
  });

  it('is a usage error, so the CLI exits with code 2', () => {
    expect(() => temporalSettingsFromEnv({ TEMPORAL_ADDRESS: 'x' })).toThrow(ConfigError);
  });
});
