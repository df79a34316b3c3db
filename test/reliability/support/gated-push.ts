import { Worker, type NativeConnection } from '@temporalio/worker';
import type { PushInput, PushResult } from '../../../src/activities/push-types';
import type { EmulatorControl } from '../../../src/emulator/control-client';
import { createEmulatorPushActivities } from '../../integration/release/emulator-push';

/** Holds a model's push after its deployment was created, until the test lets it finish. */
export interface PushHold {
  /** Resolves once the deployment exists and the push is being held. */
  created: Promise<PushResult>;
  release: () => void;
}

/**
 * The stand-in push worker of the release tests (it creates the candidate in the emulator), with one difference:
 * a push whose model has a hold creates its deployment, then waits for `release()` before it answers.
 */
export function createGatedPushWorker(connection: NativeConnection, control: EmulatorControl, taskQueue: string) {
  const standIn = createEmulatorPushActivities(control);
  const holds = new Map<string, { created: (r: PushResult) => void; released: Promise<void> }>();
  const releases: Array<() => void> = [];
  return {
    worker: Worker.create({
      connection,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue,
      activities: {
        async pushCandidate(input: PushInput): Promise<PushResult> {
          const result = await standIn.pushCandidate(input);
          const name = input.modelName ?? '';
          const hold = holds.get(name);
          if (hold) {
            holds.delete(name);
            hold.created(result);
            await hold.released;
          }
          return result;
        },
      },
    }),
    /** The next push of `modelName` is held once its deployment exists. */
    hold(modelName: string): PushHold {
      let release = (): void => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      releases.push(() => release());
      const created = new Promise<PushResult>((resolve) => holds.set(modelName, { created: resolve, released }));
      return { created, release: () => release() };
    },
    /** Lets every held push go (a failed case's, before the worker shuts down). */
    releaseAll(): void {
      for (const release of releases.splice(0)) release();
    },
  };
}
