import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { trussPython } from '../../../src/activities/push-invocation';
import type { DeploymentV1, ModelV1 } from '../../../src/emulator/state/views';
import { trussCliPath } from '../../../src/tools/paths';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { uniqueId } from '../../support/temporal';
import { copyExample } from '../../support/trusses';
import { runCli } from './support';

interface PrepareResponse {
  creds: { aws_access_key_id: string; aws_secret_access_key: string; aws_session_token: string } | null;
  s3_bucket: string | null;
  s3_key: string | null;
  s3_region: string | null;
}

/** boto3 (from truss's own environment) uploading as a real S3 client does; the thresholds force multipart above 5 MiB. */
const uploadScript = `
import sys, boto3
from boto3.s3.transfer import TransferConfig
endpoint, region, key_id, secret, token, bucket, key, path = sys.argv[1:]
s3 = boto3.resource("s3", endpoint_url=endpoint, region_name=region, aws_access_key_id=key_id,
                    aws_secret_access_key=secret, aws_session_token=token)
mib = 1024 * 1024
s3.Object(bucket, key).upload_file(path, Config=TransferConfig(multipart_threshold=5 * mib, multipart_chunksize=5 * mib))
`;

/** The REST push flow (prepare_model_upload → S3 upload → create) over real HTTP, as baseten-go and the baseten CLI use it. */
describe('REST push flow', () => {
  let te: TestEmulator;
  let work: string;
  beforeAll(async () => {
    te = await startTestEmulator();
    work = await mkdtemp(path.join(tmpdir(), 'rest-push-'));
  });
  afterAll(async () => {
    await te?.close();
    await rm(work, { recursive: true, force: true });
  });

  async function archive(trussDir: string, name: string): Promise<string> {
    const file = path.join(work, `${name}.tar`);
    const result = await runCli('tar', ['-cf', file, '-C', trussDir, '.'], process.env);
    if (result.code !== 0) throw new Error(`tar failed: ${result.stderr}`);
    return file;
  }

  async function upload(prepared: PrepareResponse, file: string): Promise<void> {
    const { creds, s3_bucket: bucket, s3_key: key, s3_region: region } = prepared;
    if (!creds || !bucket || !key || !region) throw new Error(`no upload credentials: ${JSON.stringify(prepared)}`);
    const args = [
      '-c',
      uploadScript,
      te.emulator.url,
      region,
      creds.aws_access_key_id,
      creds.aws_secret_access_key,
      creds.aws_session_token,
      bucket,
      key,
      file,
    ];
    const result = await runCli(trussPython(trussCliPath()), args, { ...process.env, NO_PROXY: '127.0.0.1' });
    if (result.code !== 0) throw new Error(`upload failed: ${result.stderr}`);
  }

  const configOf = async (trussDir: string) =>
    parseYaml(await readFile(path.join(trussDir, 'config.yaml'), 'utf8')) as Record<string, unknown>;

  it('creates a model from a multipart upload; it becomes production and serves the archive code', async () => {
    const trussDir = copyExample('text-transform');
    // 7 MiB of data makes boto3 upload in two parts.
    await mkdir(path.join(trussDir, 'data'), { recursive: true });
    await writeFile(path.join(trussDir, 'data', 'blob.bin'), randomBytes(7 * 1024 * 1024));
    const name = uniqueId('rest');
    const deployment = { config: await configOf(trussDir), labels: { source: 'rest' } };

    const dryRun = await te.call('POST', '/v1/prepare_model_upload', { name, deployment, dry_run: true });
    expect(dryRun).toMatchObject({
      status: 200,
      body: { creds: null, s3_bucket: null, s3_key: null, s3_region: null },
    });

    const prepared = await te.call('POST', '/v1/prepare_model_upload', { name, deployment });
    expect(prepared.status).toBe(200);
    await upload(prepared.body as PrepareResponse, await archive(trussDir, name));

    const created = await te.call('POST', '/v1/models', {
      source: { kind: 'model_archive', name, deployment, s3_key: (prepared.body as PrepareResponse).s3_key },
    });
    expect(created.status).toBe(200);
    const { model, deployment: dep } = created.body as { model: ModelV1; deployment: DeploymentV1 };
    expect(model.name).toBe(name);
    expect(dep).toMatchObject({ model_id: model.id, is_development: false, labels: { source: 'rest' } });

    await te.waitForStatus(model.id, dep.id, 'ACTIVE');
    expect((await te.call('GET', `/v1/models/${model.id}`)).body).toMatchObject({ production_deployment_id: dep.id });
    const reply = await te.call('POST', `${te.emulator.url}/inference/${model.id}/production/predict`, {
      text: 'a b c',
    });
    expect(reply).toMatchObject({ status: 200, body: { word_count: 3, postprocessed: true } });
  });

  it('adds a development deployment to an existing model from a single-part upload', async () => {
    const trussDir = copyExample('text-transform');
    const name = uniqueId('rest');
    const config = await configOf(trussDir);
    const first = await te.call('POST', '/v1/prepare_model_upload', { name, deployment: { config } });
    await upload(first.body as PrepareResponse, await archive(trussDir, `${name}-1`));
    const created = await te.call('POST', '/v1/models', {
      source: { kind: 'model_archive', name, deployment: { config }, s3_key: (first.body as PrepareResponse).s3_key },
    });
    const modelId = (created.body as { model: ModelV1 }).model.id;

    const deployment = { config, is_development: true };
    const second = await te.call('POST', '/v1/prepare_model_upload', { model_id: modelId, deployment });
    await upload(second.body as PrepareResponse, await archive(trussDir, `${name}-2`));
    const added = await te.call('POST', `/v1/models/${modelId}/deployments`, {
      source: { kind: 'model_archive', deployment, s3_key: (second.body as PrepareResponse).s3_key },
    });
    expect(added.status).toBe(200);
    const dev = (added.body as { deployment: DeploymentV1 }).deployment;
    expect(dev).toMatchObject({ model_id: modelId, is_development: true });
    await te.waitForStatus(modelId, dev.id, 'ACTIVE');
    const reply = await te.call('POST', `${te.emulator.url}/inference/${modelId}/development/predict`, { text: 'dev' });
    expect(reply).toMatchObject({ status: 200, body: { upper: 'DEV' } });
  });

  it('refuses bad pushes with a 400 naming the problem, creating nothing', async () => {
    const name = uniqueId('rest');
    const config = await configOf(copyExample('text-transform'));

    const badConfig = await te.call('POST', '/v1/prepare_model_upload', {
      name,
      deployment: { config: { ...config, resources: { cpu: '1', cpus: 2 } } },
    });
    expect(badConfig).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('resources.cpus') as unknown },
    });

    const both = await te.call('POST', '/v1/prepare_model_upload', { name, model_id: 'm1', deployment: { config } });
    expect(both).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('exactly one of name or model_id') as unknown },
    });

    const prepared = (await te.call('POST', '/v1/prepare_model_upload', { name, deployment: { config } }))
      .body as PrepareResponse;
    const notUploaded = await te.call('POST', '/v1/models', {
      source: { kind: 'model_archive', name, deployment: { config }, s3_key: prepared.s3_key },
    });
    expect(notUploaded).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('nothing was uploaded') as unknown },
    });

    const models = (await te.call('GET', '/v1/models')).body as { models: ModelV1[] };
    expect(models.models.map((m) => m.name)).not.toContain(name);
  });

  it('rejects uploads without credentials it issued', async () => {
    const res = await fetch(`${te.emulator.url}/baseten-cd-emulator-uploads/models/x/truss.tgz`, {
      method: 'PUT',
      body: 'not a tar',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
  });
});
