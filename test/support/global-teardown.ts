import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { projectRoot } from '../../src/tools/paths';
import { testKeyRingCodecs } from './encryption';
import { scanServerHistories, type ServerScan } from './history-scan';

/**
 * A whole `npm test` creates a few hundred workflow runs; a scan of far fewer means it missed them (a wrong
 * namespace, a broken listing). Runs of a subset of the tests only need the scan to read every run it lists.
 */
const fullRunMinimumHistories = 150;

/** The parts of jest's global config that say whether every test ran. */
interface RunConfig {
  nonFlagArgs: string[];
  testNamePattern?: string;
  testPathPatterns?: { patterns?: string[] };
  onlyChanged?: boolean;
  findRelatedTests?: boolean;
  shard?: unknown;
}

function isFullRun(config: RunConfig | undefined): boolean {
  if (!config) return false;
  return (
    config.nonFlagArgs.length === 0 &&
    !config.testNamePattern &&
    (config.testPathPatterns?.patterns?.length ?? 0) === 0 &&
    !config.onlyChanged &&
    !config.findRelatedTests &&
    !config.shard
  );
}

async function namespacesOn(connection: Connection): Promise<string[]> {
  const names: string[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await connection.workflowService.listNamespaces({ pageSize: 100, nextPageToken });
    for (const ns of page.namespaces ?? []) {
      const name = ns.namespaceInfo?.name;
      if (name && name !== 'temporal-system') names.push(name);
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return names;
}

function report(scan: ServerScan, minimum: number): string {
  return (
    `secret scan: ${scan.histories} workflow histories (${scan.events} events, ${scan.payloads} payloads, ` +
    `${scan.sealed} of them sealed and opened) in namespaces ${scan.namespaces.join(', ')}; minimum ${minimum}`
  );
}

/**
 * Every workflow run the tests left on the server, in every namespace, is fetched and scanned for the test API
 * key marker (payloads decoded, sealed ones opened with the test keys, failures and their details included).
 * A leak, a sealed payload no test key opens, or too few histories fails the whole run, loudly.
 */
async function scanEveryHistory(address: string, config: RunConfig | undefined): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const namespaces = await namespacesOn(connection);
    const scan = await scanServerHistories((namespace) => new Client({ connection, namespace }), namespaces, {
      codecs: testKeyRingCodecs(),
    });
    const minimum = isFullRun(config) ? fullRunMinimumHistories : 0;
    const summary = report(scan, minimum);
    const out = path.join(projectRoot, '.baseten-cd', 'reliability');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'history-scan.json'), `${JSON.stringify({ ...scan, minimum }, null, 2)}\n`);
    const problems = [
      ...scan.leaks.map((where) => `the API key marker is in the history of ${where}`),
      ...scan.unreadable.map((where) => `sealed payloads no test key opens in ${where}`),
      ...(scan.histories < minimum ? [`only ${scan.histories} histories scanned, fewer than ${minimum}`] : []),
    ];
    if (problems.length > 0) throw new Error(`${summary}\n  ${problems.join('\n  ')}`);
    console.log(`\n${summary}: no API key found`);
  } finally {
    await connection.close();
  }
}

export default async function globalTeardown(config?: RunConfig): Promise<void> {
  try {
    const address = process.env.TEMPORAL_ADDRESS;
    if (address) await scanEveryHistory(address, config);
  } finally {
    await globalThis.__temporalDevServer?.stop();
  }
}
