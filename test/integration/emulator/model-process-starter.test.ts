import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ModelProcessStarter } from '../../../src/emulator/options';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { writeTruss } from '../../support/trusses';

// The emulator's two options for holding many deployments at once (the bench's scale run): model processes from
// an injected starter instead of Python, and no state snapshot rewritten on every change.

describe('an emulator with an injected model process starter and persistence off', () => {
  let emu: TestEmulator;
  const started: string[] = [];
  const starter: ModelProcessStarter = async (options) => {
    started.push(options.trussDir);
    return {
      pid: 2 ** 31 - 1,
      port: 0,
      alive: true,
      predict: async (body) => ({ status: 200, body: { stubbed: body } }),
      kill: async () => undefined,
    };
  };

  beforeAll(async () => {
    emu = await startTestEmulator({ startModelProcess: starter, persistState: false });
  });
  afterAll(() => emu?.close());

  it('serves a deployment through the starter, and writes no state snapshot', async () => {
    const trussDir = writeTruss({ modelName: 'stubbed', modelPy: 'raise SystemExit("never run")\n' });
    const { model, deployment } = await emu.control.createDeployment({ trussDir });
    await emu.waitForStatus(model.id, deployment.id, 'ACTIVE');
    expect(started).toHaveLength(1);
    const answer = await emu.call(
      'POST',
      `${emu.emulator.inferenceUrl.replace('{model_id}', model.id)}/production/predict`,
      {
        text: 'hi',
      },
    );
    expect(answer).toMatchObject({ status: 200, body: { stubbed: { text: 'hi' } } });
    expect(existsSync(path.join(emu.emulator.stateDir, 'state.json'))).toBe(false);
  });
});
