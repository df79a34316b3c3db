import { MockActivityEnvironment } from '@temporalio/testing';
import type { Info } from '@temporalio/activity';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../../src/activities';
import type { ActivityDeps } from '../../../src/activities/deps';
import type { PromoteInput } from '../../../src/activities/promote';
import type { VerifyInput } from '../../../src/activities/verify-production';
import { FakeBaseten } from './fake-baseten';

/** Activities over the fake, with a clock that moves only when they sleep (no real waiting). */
export function setup(info: Partial<Info> = {}) {
  const fake = new FakeBaseten();
  let now = 1_000_000;
  const sleeps: number[] = [];
  const deps: ActivityDeps = {
    baseten: fake.api,
    clock: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    poll: { initialMs: 100, maxMs: 400 },
  };
  // Failures are the point of several tests: keep the activity logger quiet about them.
  const env = new MockActivityEnvironment(info, { logger: new DefaultLogger('ERROR') });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (details: unknown) => heartbeats.push(details));
  const activities = createActivities(deps);
  // MockActivityEnvironment.run cannot infer the result type from the function; this wrapper can.
  const run = <P extends unknown[], R>(fn: (...args: P) => Promise<R>, ...args: P): Promise<R> =>
    env.run<P, R, typeof fn>(fn, ...args);
  return {
    fake,
    env,
    heartbeats,
    sleeps,
    activities,
    run,
    promote: (input: PromoteInput) => run(activities.promoteCandidate, input),
    verify: (input: VerifyInput) => run(activities.verifyProduction, input),
  };
}
