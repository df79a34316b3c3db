import { ConfigError } from '../../../src/config/env-schema';
import { freePort } from '../../../src/temporal/dev-server';
import { connectClient, connectNative } from '../../../src/temporal/connect';
import { temporalSettingsFromEnv } from '../../../src/temporal/settings';

describe('connecting to Temporal', () => {
  it('connects the client and the worker connection to the dev server', async () => {
    const settings = temporalSettingsFromEnv({ TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS });
    const temporal = await connectClient(settings);
    try {
      await expect(temporal.connection.workflowService.getSystemInfo({})).resolves.toBeDefined();
    } finally {
      await temporal.close();
    }
    const native = await connectNative(settings);
    await native.close();
  });

  it('names the address when nothing listens there', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const settings = temporalSettingsFromEnv({ TEMPORAL_ADDRESS: address });
    await expect(connectClient(settings)).rejects.toThrow(`cannot reach Temporal at ${address}`);
    await expect(connectNative(settings)).rejects.toThrow(`cannot reach Temporal at ${address}`);
  }, 30_000);

  it('reports an unreadable mTLS file as a configuration error naming the variable', async () => {
    const settings = temporalSettingsFromEnv({
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      TEMPORAL_TLS_CERT: '/nonexistent/client.pem',
      TEMPORAL_TLS_KEY: '/nonexistent/client.key',
    });
    const failure = connectClient(settings);
    await expect(failure).rejects.toThrow(ConfigError);
    await expect(failure).rejects.toThrow('TEMPORAL_TLS_CERT: cannot read /nonexistent/client.pem (ENOENT)');
  });
});
