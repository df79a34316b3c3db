import type { ModelProcessStarter } from '../src/emulator/options';

/**
 * Above Linux's largest possible pid (2^22), so that no signal sent to it (the emulator's kill fault) can reach
 * a real process: it fails with ESRCH.
 */
const noSuchPid = 2 ** 31 - 1;

/**
 * An in-process stand-in for a deployment's Python model process, for the scale benchmark only: a thousand real
 * processes do not fit on the bench machine, and watching needs statuses and metrics, not answers. It loads at once
 * and answers every prediction `{"stub": true}`.
 */
export const stubModelProcess: ModelProcessStarter = async () => {
  let alive = true;
  return {
    pid: noSuchPid,
    port: 0,
    get alive() {
      return alive;
    },
    predict: async () => ({ status: 200, body: { stub: true } }),
    kill: async () => {
      alive = false;
    },
  };
};
