import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EmulatorControl } from '../../../src/emulator/control-client';
import { startEmulatorCli } from '../../support/emulator-cli';
import { processExists } from '../../support/processes';
import { tempDir } from '../../support/temp-dirs';
import { writeTruss } from '../../support/trusses';
import { waitFor } from '../../support/wait-for';

// A model whose load() starts a helper process of its own, as model code may (a tokenizer server, a downloader):
// the helper must go with the model process.
const helperModel = `
import os, subprocess

class Model:
    def __init__(self, **kwargs):
        pass

    def load(self):
        helper = subprocess.Popen(["sleep", "600"])
        with open(os.environ["HELPER_PID_FILE"], "w") as f:
            f.write(str(helper.pid))

    def predict(self, model_input):
        return model_input
`;
import { testApiKey } from '../../support/secrets';

async function startWithModelProcess(signal: string) {
  const dir = tempDir(`cleanup-${signal}`);
  const helperPidFile = path.join(dir, 'helper.pid');
  const apiKey = testApiKey('cleanup');
  const emulator = await startEmulatorCli(['--api-key', apiKey, '--state-dir', path.join(dir, 'state')]);
  const control = new EmulatorControl({ url: emulator.url, apiKey });
  const trussDir = writeTruss({
    modelName: `cleanup-${signal.toLowerCase()}`,
    modelPy: helperModel,
    configExtra: `environment_variables:\n  HELPER_PID_FILE: ${helperPidFile}\n`,
  });
  const { deployment } = await control.createDeployment({ trussDir });
  const modelPid = await waitFor(
    `deployment ${deployment.id} to run its model process`,
    async () => {
      const info = await control.deployment(deployment.id);
      if (info.status === 'DEPLOY_FAILED' || info.status === 'BUILD_FAILED')
        throw new Error(`deployment ${info.status}`);
      return info.status === 'ACTIVE' && info.pid !== null && info.pid;
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  const helperPid = Number(readFileSync(helperPidFile, 'utf8'));
  return { emulator, control, deploymentId: deployment.id, modelPid, helperPid };
}

describe.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)('the emulator ended by %s', (signal) => {
  test('leaves no model process (nor anything the model started) running', async () => {
    const { emulator, modelPid, helperPid } = await startWithModelProcess(signal);
    expect(processExists(modelPid)).toBe(true);
    expect(processExists(helperPid)).toBe(true);
    const exited = new Promise((resolve) => emulator.child.once('exit', resolve));
    emulator.child.kill(signal);
    await exited;
    await waitFor(
      `model process ${modelPid} and its helper ${helperPid} to be gone after ${signal} to the emulator`,
      () => !processExists(modelPid) && !processExists(helperPid),
      { timeoutMs: 15_000, intervalMs: 50 },
    );
  }, 90_000);
});

test('a model process that crashes (the kill fault) takes what the model started with it', async () => {
  const { emulator, control, deploymentId, modelPid, helperPid } = await startWithModelProcess('crash');
  try {
    expect(await control.killModelProcess(deploymentId)).toBe(modelPid);
    await waitFor(
      `the crashed model process ${modelPid}'s helper ${helperPid} to be gone`,
      () => !processExists(modelPid) && !processExists(helperPid),
      { timeoutMs: 15_000, intervalMs: 50 },
    );
  } finally {
    await emulator.stop();
  }
}, 90_000);
