/**
 * `npm run demo`: a real release, end to end, on this machine. Starts a Temporal dev server with its Web UI,
 * the Baseten emulator and a fleet worker, then runs `baseten-cd deploy` twice as CI would: the first release
 * creates the model, the second promotes a changed candidate over it. `--keep` leaves everything running.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { request } from 'undici';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { prepareTrussEnvironment, trussRemoteName } from '../src/emulator/push/truss-env';
import { startEmulator, type Emulator } from '../src/emulator/server';
import { startDevServer, type DevServer } from '../src/temporal/dev-server';
import { projectRoot } from '../src/tools/paths';
import { loadWorkerConfig } from '../src/fleet/config';
import { runWorker, type RunningWorker } from '../src/fleet/run-worker';

interface ReleaseJson {
  status: string;
  workflowId: string;
  modelId?: string;
  candidateDeploymentId?: string;
  productionDeploymentId?: string;
  previousProductionDeploymentId?: string;
  validation?: { cases: Array<{ passed: boolean }>; latency?: { p50Ms?: number; p95Ms?: number; errorRate: number } };
  uiUrl: string;
  exitCode: number;
}

const example = path.join(projectRoot, 'examples', 'text-transform');
const validationFile = path.join(projectRoot, 'examples', 'validation', 'text-transform.yaml');
const cli = path.join(projectRoot, 'bin', 'baseten-cd.js');
/** A release on this 2-core machine takes well under a minute; this only guards against a hang. */
const releaseTimeoutMs = 5 * 60_000;

function step(text: string): void {
  console.log(`\n▶ ${text}`);
}

/** Runs `baseten-cd deploy --json` as CI would, streaming its progress (stderr) and returning its result. */
async function deploy(trussDir: string, env: NodeJS.ProcessEnv): Promise<ReleaseJson> {
  const args = ['deploy', trussDir, '--validation', validationFile, '--label', 'source=demo', '--json'];
  console.log(`  $ baseten-cd ${args.join(' ')}`);
  // `--` ends Node's own options: everything after the script is baseten-cd's.
  const child = spawn(process.execPath, ['--', cli, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  createInterface({ input: child.stderr }).on('line', (line) => console.log(`  │ ${line}`));
  const timer = setTimeout(() => child.kill('SIGTERM'), releaseTimeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  if (!stdout.trim()) throw new Error(`baseten-cd deploy exited with ${code} and printed no result`);
  console.log(`  exit code ${code}`);
  return JSON.parse(stdout) as ReleaseJson;
}

/** Asks the emulator's production endpoint directly: the proof that traffic reaches the promoted deployment. */
async function predictProduction(emulator: Emulator, modelId: string): Promise<unknown> {
  const url = `${emulator.inferenceUrl.replace('{model_id}', modelId)}/production/predict`;
  const response = await request(url, {
    method: 'POST',
    headers: { authorization: `Api-Key ${emulator.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: '  release   two  is live ' }),
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  return response.body.json();
}

async function productionOf(emulator: Emulator, modelId: string): Promise<string | null> {
  const response = await request(`${emulator.managementUrl}/v1/models/${modelId}`, {
    headers: { authorization: `Api-Key ${emulator.apiKey}` },
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  return ((await response.body.json()) as { production_deployment_id: string | null }).production_deployment_id;
}

function describeValidation(result: ReleaseJson): string {
  const v = result.validation;
  if (!v) return 'no validation report';
  const passed = v.cases.filter((c) => c.passed).length;
  const latency = v.latency
    ? `, p50 ${Math.round(v.latency.p50Ms ?? 0)} ms, p95 ${Math.round(v.latency.p95Ms ?? 0)} ms, error rate ${v.latency.errorRate * 100}%`
    : '';
  return `${passed}/${v.cases.length} cases passed${latency}`;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

async function run(): Promise<number> {
  const keep = process.argv.includes('--keep');
  const started = Date.now();
  const workDir = await mkdtemp(path.join(tmpdir(), 'baseten-cd-demo-'));
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  let temporal: DevServer | undefined;
  let emulator: Emulator | undefined;
  let worker: RunningWorker | undefined;
  try {
    step('Temporal dev server (with the Web UI)');
    temporal = await startDevServer({ ui: true, readyTimeoutMs: 120_000 });
    console.log(`  frontend ${temporal.address}, Web UI ${temporal.uiUrl ?? ''}`);

    step('Baseten emulator (management API, inference, truss push)');
    const quiet = {
      info: () => undefined,
      warn: (m: string) => console.warn(`  emulator: ${m}`),
      error: (m: string) => console.error(`  emulator: ${m}`),
    };
    emulator = await startEmulator({ stateDir: path.join(workDir, 'emulator'), logger: quiet });
    const trussEnv = await prepareTrussEnvironment(
      { port: emulator.port, apiKey: emulator.apiKey },
      path.join(workDir, 'truss-home'),
    );
    console.log(`  ${emulator.url}; truss pushes to its remote "${trussRemoteName}"`);

    step('fleet worker (deploy workflows and Baseten activities; the API key stays here)');
    worker = await runWorker(
      loadWorkerConfig({
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace,
        BASETEN_CD_TASK_QUEUE: 'baseten-cd',
        BASETEN_API_KEY: emulator.apiKey,
        BASETEN_API_URL: emulator.managementUrl,
        BASETEN_INFERENCE_URL: emulator.inferenceUrl,
      }),
    );
    console.log('  polling task queue baseten-cd');

    // What a CI job has: where Temporal is, and truss configured for the target (no Baseten key in the workflow).
    const ciEnv = {
      ...trussEnv,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_UI_URL: temporal.uiUrl,
      TRUSS_REMOTE: trussRemoteName,
    };
    const truss = path.join(workDir, 'text-transform');
    await cp(example, truss, { recursive: true });

    step('release 1: the first push of text-transform creates the model and becomes production');
    const first = await deploy(truss, ciEnv);
    if (first.status !== 'promoted') throw new Error(`release 1 ended ${first.status} (exit ${first.exitCode})`);

    step('release 2: a changed Truss (new config) is validated and promoted over release 1');
    const config = path.join(truss, 'config.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('hello from config.yaml', 'hello from release 2'));
    const second = await deploy(truss, ciEnv);
    if (second.status !== 'promoted') throw new Error(`release 2 ended ${second.status} (exit ${second.exitCode})`);

    const modelId = second.modelId ?? '';
    const production = await productionOf(emulator, modelId);
    const answer = await predictProduction(emulator, modelId);
    const proven =
      production === second.candidateDeploymentId &&
      second.previousProductionDeploymentId === first.candidateDeploymentId;
    step(`summary (${Math.round((Date.now() - started) / 1000)} s)`);
    console.log(
      [
        `  model ${modelId}`,
        `  release 1: ${first.workflowId} promoted deployment ${first.candidateDeploymentId} (${describeValidation(first)})`,
        `     ${first.uiUrl}`,
        `  release 2: promoted deployment ${second.candidateDeploymentId} over ${second.previousProductionDeploymentId} (${describeValidation(second)})`,
        `     ${second.uiUrl}`,
        `  production now: ${production} (per the emulator's management API)`,
        `  production answers: ${JSON.stringify(answer)}`,
        '',
        '  What this proved: the real truss CLI pushed each candidate; the fleet validated that exact deployment',
        '  (cases, latency); promotion moved production to it and was verified before the CLI exited 0; each',
        '  decision is in the workflow history (open the links above).',
        proven ? '' : '  WARNING: production is not the second candidate',
      ].join('\n'),
    );
    if (keep) {
      console.log(`\nEverything keeps running: Web UI ${temporal.uiUrl ?? ''}. Press Ctrl-C to stop.`);
      await untilSignal();
    }
    return proven ? 0 : 1;
  } finally {
    console.log('\nstopping the worker, the emulator and the Temporal server...');
    await worker?.shutdown();
    await emulator?.close();
    await temporal?.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
