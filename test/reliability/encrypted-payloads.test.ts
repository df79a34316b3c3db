import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Payload } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import { BasetenCd } from '../../src/client';
import { prepareTrussEnvironment, trussRemoteName } from '../../src/emulator/push/truss-env';
import { startCodecServer } from '../../src/temporal/encryption/codec-server';
import { temporalSettingsFromEnv } from '../../src/temporal/settings';
import { projectRoot } from '../../src/tools/paths';
import { runCli } from '../e2e/support/cli';
import { startTestEmulator, type TestEmulator } from '../support/emulator';
import { testEncryptionEnv, testKeyRingCodecs } from '../support/encryption';
import { fleetWorkerEnv } from '../support/fleet-worker';
import { expectNoSecretInHistory } from '../support/history-scan';
import { testApiKey } from '../support/secrets';
import { tempDir } from '../support/temp-dirs';
import { connectTemporal, uniqueId, type TemporalTestContext } from '../support/temporal';
import { copyExample } from '../support/trusses';
import { startWorkerProcess, stopProcess, type WorkerProcess } from '../support/worker-process';

// With BASETEN_CD_ENCRYPTION_KEY set, releases run as before, and what Temporal stores is ciphertext: the real
// `baseten-cd worker` process and the real `baseten-cd deploy` (real truss push, its push worker), in the middle of a
// key rotation (the CLI still seals with the old key, the worker with the new one; each knows both). Reproduce:
//   npx jest --runInBand test/reliability/encrypted-payloads.test.ts

/** Text that only payloads carry (the validation case and the model's answer), and a build failure's words. */
const caseName = 'sealed case name';
const caseText = 'words only payloads hold';
const buildFailure = 'ERROR: a build log line that must stay sealed';

interface Raw {
  payloads: Array<{ payload: Payload; where: string }>;
  failures: Array<{ message: string; stackTrace: string; encoded: boolean }>;
  text: string;
}

const decoder = new TextDecoder();

/**
 * Payloads Temporal keeps in the clear by design: search attributes (indexed for queries: model, environment,
 * stage, deployment ids) and the SDK's own patch markers (the name of a code path, written without the codec).
 */
const clearByDesign = ['searchAttributes', 'markerRecordedEventAttributes.details.patch-data'];

/** A history as stored, nothing opened: every payload but those, every failure, all text with bytes as UTF-8. */
function rawOf(history: History): Raw {
  const raw: Raw = { payloads: [], failures: [], text: '' };
  const strings: string[] = [];
  const walk = (value: unknown, where: string): void => {
    if (typeof value === 'string') strings.push(value);
    else if (value instanceof Uint8Array) strings.push(decoder.decode(value));
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${where}[${i}]`));
    else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      const metadata = record.metadata as Record<string, unknown> | undefined;
      if (metadata?.encoding instanceof Uint8Array && !clearByDesign.some((part) => where.includes(part))) {
        raw.payloads.push({ payload: value, where });
      }
      if (typeof record.message === 'string' && typeof record.source === 'string') {
        raw.failures.push({
          message: record.message,
          stackTrace: typeof record.stackTrace === 'string' ? record.stackTrace : '',
          encoded: record.encodedAttributes !== null && record.encodedAttributes !== undefined,
        });
      }
      for (const [key, item] of Object.entries(record)) walk(item, `${where}.${key}`);
    }
  };
  walk(history, 'history');
  raw.text = strings.join('\n');
  return raw;
}

/** What the suite measured, for the README's figures (git-ignored). */
function writeFigures(name: string, figures: object): void {
  const dir = path.join(projectRoot, '.baseten-cd', 'reliability');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, name), `${JSON.stringify(figures, null, 2)}\n`);
}

const metadataText = (payload: Payload, key: string) => decoder.decode(payload.metadata?.[key] ?? new Uint8Array());

describe('releases with encrypted payloads', () => {
  let temporal: TemporalTestContext;
  let emu: TestEmulator;
  let worker: WorkerProcess;
  let cliEnv: NodeJS.ProcessEnv;
  let validation: string;
  const model = uniqueId('sealed');

  beforeAll(async () => {
    temporal = await connectTemporal();
    emu = await startTestEmulator();
    const dir = tempDir('encrypted');
    const trussEnv = await prepareTrussEnvironment(
      { port: emu.emulator.port, apiKey: emu.emulator.apiKey },
      path.join(dir, 'truss-home'),
    );
    const taskQueue = uniqueId('fleet-sealed');
    worker = await startWorkerProcess({
      ...fleetWorkerEnv(emu.emulator, taskQueue),
      ...testEncryptionEnv('test-key-2026-b'),
    });
    cliEnv = {
      ...trussEnv,
      BASETEN_CD_TASK_QUEUE: taskQueue,
      TRUSS_REMOTE: trussRemoteName,
      ...testEncryptionEnv('test-key-2026-a'),
    };
    validation = path.join(dir, 'validation.yaml');
    await writeFile(
      validation,
      `cases:\n  - name: ${caseName}\n    input: { text: '${caseText}' }\n    expect: { status: 200, values: [{ path: word_count, equals: 4 }] }\n`,
    );
  }, 180_000);
  afterAll(async () => {
    if (worker) await stopProcess(worker.child);
    await emu?.close();
    await temporal?.close();
  });

  async function deploy(expectedCode: number): Promise<{ status: string; workflowId: string; reason?: string }> {
    const run = await runCli(
      ['deploy', copyExample('text-transform'), '--model-name', model, '--validation', validation, '--json'],
      cliEnv,
    );
    if (run.code !== expectedCode) throw new Error(`exit ${run.code}, expected ${expectedCode}:\n${run.stderr}`);
    return JSON.parse(run.stdout) as { status: string; workflowId: string; reason?: string };
  }

  it('a release creates the model, the next replaces production, and one whose build fails says why (exit 4)', async () => {
    expect((await deploy(0)).status).toBe('promoted');
    expect((await deploy(0)).status).toBe('promoted');
    await emu.control.failNextBuild(buildFailure);
    const failed = await deploy(4);
    // The CLI opened the sealed result and failure: the reason reads as it always does.
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed.reason).toContain(buildFailure);
    const status = await runCli(['status', model, '--json'], cliEnv);
    expect(JSON.parse(status.stdout)).toMatchObject({ result: { status: 'failed', failedStage: 'building' } });
  }, 400_000);

  it('leaves only ciphertext in Temporal: every payload sealed, every failure message too', async () => {
    const runsOfModel: Array<{ workflowId: string; runId: string }> = [];
    for await (const run of temporal.client.workflow.list({ query: `BasetenModel='${model}'` })) runsOfModel.push(run);
    // Three releases and the watcher the second one started (the third one's retired and restored it).
    expect(runsOfModel.length).toBeGreaterThanOrEqual(4);
    const keyIds = new Set<string>();
    let payloads = 0;
    let failures = 0;
    for (const run of runsOfModel) {
      const handle = temporal.client.workflow.getHandle(run.workflowId, run.runId);
      const raw = rawOf(await handle.fetchHistory());
      for (const { payload, where } of raw.payloads) {
        expect({ where, encoding: metadataText(payload, 'encoding') }).toEqual({ where, encoding: 'binary/encrypted' });
        keyIds.add(metadataText(payload, 'encryption-key-id'));
      }
      for (const failure of raw.failures)
        expect(failure).toEqual({ message: 'Encoded failure', stackTrace: '', encoded: true });
      for (const plain of [caseName, caseText, caseText.toUpperCase(), buildFailure, 'text-transform']) {
        expect({ workflow: run.workflowId, holds: raw.text.includes(plain) }).toEqual({
          workflow: run.workflowId,
          holds: false,
        });
      }
      payloads += raw.payloads.length;
      failures += raw.failures.length;
      // Opened with the keys, the same history reads in full (and holds no API key).
      await expectNoSecretInHistory(handle, { codecs: testKeyRingCodecs(), mustSee: caseName });
    }
    expect(payloads).toBeGreaterThan(50);
    expect(failures).toBeGreaterThan(0);
    writeFigures('encrypted-payloads.json', { runs: runsOfModel.length, payloads, failures, keyIds: [...keyIds] });
    // The CLI sealed the inputs with the old key, the worker everything else with the new one.
    expect([...keyIds].sort()).toEqual(['test-key-2026-a', 'test-key-2026-b']);
  });

  it('the client (BasetenCd) reads sealed results; a process with no key or the wrong one says so in one line, exit 2', async () => {
    const client = await BasetenCd.connect(
      temporalSettingsFromEnv({ ...process.env, ...testEncryptionEnv('test-key-2026-b') }),
    );
    try {
      const result = await client.release(model).result();
      expect(result).toMatchObject({ status: 'failed' });
      expect(JSON.stringify(result)).toContain(buildFailure);
    } finally {
      await client.close();
    }
    const strangerKey = createHash('sha256').update('not a key the workers know').digest().toString('base64');
    const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
      [
        { BASETEN_CD_ENCRYPTION_KEY: '', BASETEN_CD_ENCRYPTION_KEY_ID: '', BASETEN_CD_DECRYPTION_KEYS: '' },
        /^baseten-cd: a payload is sealed with key test-key-2026-[ab], but BASETEN_CD_ENCRYPTION_KEY is not set/,
      ],
      [
        {
          BASETEN_CD_ENCRYPTION_KEY: strangerKey,
          BASETEN_CD_ENCRYPTION_KEY_ID: 'stranger',
          BASETEN_CD_DECRYPTION_KEYS: '',
        },
        /^baseten-cd: a payload is sealed with key test-key-2026-[ab], which this process does not have/,
      ],
      [
        {
          BASETEN_CD_ENCRYPTION_KEY: strangerKey,
          BASETEN_CD_ENCRYPTION_KEY_ID: 'test-key-2026-b',
          BASETEN_CD_DECRYPTION_KEYS: '',
        },
        /^baseten-cd: a payload (sealed with key test-key-2026-b does not open|is sealed with key test-key-2026-a, which)/,
      ],
      [
        { BASETEN_CD_ENCRYPTION_KEY: 'c2hvcnQ=', BASETEN_CD_ENCRYPTION_KEY_ID: 'k1', BASETEN_CD_DECRYPTION_KEYS: '' },
        /^baseten-cd: BASETEN_CD_ENCRYPTION_KEY must be 32 random bytes in base64/,
      ],
    ];
    for (const [keys, line] of cases) {
      const run = await runCli(['status', model, '--json'], { ...cliEnv, ...keys });
      expect({ code: run.code, stdout: run.stdout, stderr: run.stderr.trim().split('\n') }).toEqual({
        code: 2,
        stdout: '',
        stderr: [expect.stringMatching(line)],
      });
      expect(run.stderr).not.toContain(strangerKey);
    }
  });

  it('the codec server opens a stored payload for whoever holds its token (as the Temporal UI asks)', async () => {
    const token = testApiKey('codec-token');
    const keys = temporalSettingsFromEnv(testEncryptionEnv('test-key-2026-b')).encryption!;
    const server = await startCodecServer({ keys, token, allowedOrigin: 'http://ui.test', port: 0 });
    try {
      // The latest release, started by the CLI: its input is sealed with the CLI's (old) key.
      const history = await temporal.client.workflow.getHandle(`release-${model}-production`).fetchHistory();
      const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      const body = {
        payloads: [
          {
            metadata: Object.fromEntries(
              Object.entries(input?.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
            ),
            data: Buffer.from(input?.data ?? []).toString('base64'),
          },
        ],
      };
      const response = await fetch(`${server.url}/decode`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-namespace': 'default' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      const [opened] = ((await response.json()) as { payloads: Array<{ data: string }> }).payloads;
      const deployInput = JSON.parse(Buffer.from(opened?.data ?? '', 'base64').toString('utf8')) as {
        modelName: string;
        validation: { cases: Array<{ name: string }> };
      };
      expect(deployInput.modelName).toBe(model);
      expect(deployInput.validation.cases[0]?.name).toBe(caseName);
    } finally {
      await server.close();
    }
  });
});
