import { startDevServer, type DevServer } from '../../src/temporal/dev-server';

declare global {
  var __temporalDevServer: DevServer | undefined;
}

/** One real Temporal dev server for the whole test run; tests find it through TEMPORAL_ADDRESS. */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEMPORAL_TEST_ADDRESS) {
    process.env.TEMPORAL_ADDRESS = process.env.TEMPORAL_TEST_ADDRESS;
    return;
  }
  const server = await startDevServer({ readyTimeoutMs: 90_000 });
  globalThis.__temporalDevServer = server;
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.TEMPORAL_NAMESPACE = server.namespace;
}
