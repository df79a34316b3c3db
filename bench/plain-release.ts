import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../src/activities';
import { createPushActivities } from '../src/activities/push';
import { trussRemoteName } from '../src/emulator/push/truss-env';
import { trussCliPath } from '../src/tools/paths';
import {
  candidateTarget,
  comparisonTarget,
  environmentTarget,
  promotionVia,
  releaseTimeouts,
  smokeCheck,
} from '../src/workflows/release-rules';
import type { DeployInput } from '../src/workflows/types';
import { releaseInputBase, type ReleaseInputBase } from './release';
import { benchSdkLogger } from './sdk-logger';
import { benchSettings, type EmulatorParts } from './stack';
import { copyExample, editConfig } from './truss-copy';

/** One release done by the plain script: its wall time and the part of it spent inside the activities. */
export interface PlainRelease {
  wallMs: number;
  basetenMs: number;
}

const modelName = 'text-transform-plain';
const greeting = 'hello from config.yaml';

/**
 * The orchestration benchmark's baseline: the same release as a plain script, without Temporal. It calls the same
 * activities the release workflow calls (the real truss push, the same waits, validation, promotion, verification),
 * one after another in this process, with the inputs the workflow derives (src/workflows/release-rules), the
 * fleet worker's poll spacing, and no watcher. Its own model, so it never moves production under a watcher.
 * Returns a function that runs release n (n = 0 creates the model).
 */
export async function plainReleaser(
  parts: EmulatorParts,
  workDir: string,
  base: ReleaseInputBase,
): Promise<(n: number) => Promise<PlainRelease>> {
  const trussDir = await copyExample('text-transform', path.join(workDir, 'plain-text-transform'));
  const activities = createActivities({ baseten: parts.baseten, poll: benchSettings.poll });
  const { pushCandidate } = createPushActivities({
    trussCliPath: trussCliPath(),
    remote: trussRemoteName,
    env: parts.trussEnv,
  });
  const input: DeployInput = { ...base, modelName, trussDir, pushTaskQueue: 'in-process' };
  const timeouts = releaseTimeouts(input);
  let previousGreeting = greeting;

  return async (n) => {
    const next = `hello from plain release ${n}`;
    await editConfig(trussDir, (config) => config.replace(previousGreeting, next));
    previousGreeting = next;

    const env = new MockActivityEnvironment(undefined, { logger: benchSdkLogger() });
    let basetenMs = 0;
    const timed = async <A, R>(fn: (arg: A) => Promise<R>, arg: A): Promise<R> => {
      const started = performance.now();
      try {
        return await env.run(fn, arg);
      } finally {
        basetenMs += performance.now() - started;
      }
    };

    const started = performance.now();
    const pushed = await timed(pushCandidate, {
      trussDir,
      modelName,
      candidate: input.candidate,
      labels: input.labels,
    });
    const { modelId, deploymentId } = pushed;
    await timed(activities.awaitDeploymentActive, { modelId, deploymentId, timeoutMs: timeouts.buildMs });
    const report = await timed(activities.validateCandidate, {
      modelId,
      candidate: candidateTarget(input, deploymentId),
      production: comparisonTarget(input),
      spec: input.validation,
    });
    if (!report.passed) throw new Error(`plain release ${n}: validation failed: ${report.reasons.join('; ')}`);
    const current = await timed(activities.describeProduction, { modelId, environment: input.environment });
    const previous = current.deploymentId === deploymentId ? undefined : current.deploymentId;
    await timed(activities.prepareForTraffic, { modelId, deploymentId, timeoutMs: timeouts.prepareMs });
    const promoted = await timed(activities.promoteCandidate, {
      modelId,
      environment: input.environment,
      target: { kind: 'deployment', deploymentId },
      via: promotionVia(input),
      previousProductionId: previous,
    });
    const verified = await timed(activities.verifyProduction, {
      modelId,
      environment: input.environment,
      deploymentId: promoted.deploymentId,
      smoke: smokeCheck(input.validation),
      smokeTarget: environmentTarget(input.environment),
      timeoutMs: timeouts.verifyMs,
    });
    if (!verified.verified) throw new Error(`plain release ${n}: not verified: ${verified.reason ?? 'no reason'}`);
    return { wallMs: performance.now() - started, basetenMs };
  };
}

/** The plain script's releases, run one after each of ours; a failure stops them and is kept, ours go on. */
export interface PlainBaseline {
  /** The timed ones (release 0 creates the model and is not counted, as with ours). */
  readonly runs: PlainRelease[];
  readonly error: string | undefined;
  readonly afterEach: (n: number) => Promise<void>;
}

export async function plainBaseline(parts: EmulatorParts, workDir: string): Promise<PlainBaseline> {
  const release = await plainReleaser(parts, workDir, await releaseInputBase());
  const runs: PlainRelease[] = [];
  let error: string | undefined;
  return {
    runs,
    get error() {
      return error;
    },
    afterEach: async (n) => {
      if (error !== undefined) return;
      try {
        const run = await release(n);
        if (n > 0) runs.push(run);
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
    },
  };
}
