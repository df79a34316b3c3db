/* eslint-disable @typescript-eslint/no-require-imports -- the one place the CLI loads modules on first use */
/**
 * What a command needs to run, loaded when it runs rather than when the CLI starts: the Temporal client and worker,
 * the emulator and the codec server cost about 1.4 s of every start, `--help` and usage errors included (measured:
 * `baseten-cd --help` 2.1 s with them imported up front, 0.9 s without). `require`, not `import()`: bin/baseten-cd.js
 * runs the sources through tsx's CommonJS hook, which serves `require` of a TypeScript file but not `import()`.
 */
export const load = {
  client: () => require('../client') as typeof import('../client'),
  temporalClient: () => require('@temporalio/client') as typeof import('@temporalio/client'),
  deploy: () => require('./deploy/run') as typeof import('./deploy/run'),
  worker: () => require('../worker') as typeof import('../worker'),
  emulator: () => require('../emulator/server') as typeof import('../emulator/server'),
  emulatorOptions: () => require('../emulator/options') as typeof import('../emulator/options'),
  connect: () => require('../temporal/connect') as typeof import('../temporal/connect'),
  codecServer: () =>
    require('../temporal/encryption/codec-server') as typeof import('../temporal/encryption/codec-server'),
};
