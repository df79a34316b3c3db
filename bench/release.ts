import path from 'node:path';
import { projectRoot } from '../src/tools/paths';
import { loadValidationFile } from '../src/validation/load';
import type { DeployInput } from '../src/workflows/types';
import { medianAndMax } from './load';
import type { BenchmarkResult, Metric } from './results';
import { runRelease, type TimedRelease } from './run-release';
import type { ReleaseRig } from './stack';
import { copyExample, editConfig } from './truss-copy';

/** The stages of a release that promotes; the final `promoted` stage only marks the end. */
const stages = ['pushing', 'building', 'validating', 'promoting', 'verifying'] as const;
const validationFile = path.join(projectRoot, 'examples', 'validation', 'text-transform.yaml');
const greeting = 'hello from config.yaml';

/**
 * Full releases of examples/text-transform: push with the real truss CLI, ACTIVE, validation with
 * examples/validation/text-transform.yaml, promote, verify. A first release creates the model (reported on
 * its own); the timed ones each promote a changed Truss over the previous production, as CI does on a merge.
 * `afterEach(n)` runs after release n (the orchestration baseline's releases, so both see the same machine).
 */
export async function benchRelease(
  rig: ReleaseRig,
  workDir: string,
  timedRuns: number,
  afterEach?: (n: number) => Promise<void>,
): Promise<{ result: BenchmarkResult; runs: TimedRelease[] }> {
  const result: BenchmarkResult = {
    title: 'Release time (push with truss CLI → ACTIVE → validate → promote → verify)',
    setup: `examples/text-transform with examples/validation/text-transform.yaml; 1 first release, then ${timedRuns} timed releases over production; stage times from the workflow history`,
    metrics: [],
  };
  const trussDir = await copyExample('text-transform', path.join(workDir, 'release-text-transform'));
  const base: Omit<DeployInput, 'pushTaskQueue' | 'trussDir'> = {
    ...(await releaseInputBase()),
    modelName: 'text-transform',
  };
  let previous = greeting;
  const release = async (n: number): Promise<TimedRelease> => {
    // Each release pushes a different config, so each candidate is a new deployment with its own model process.
    const next = `hello from bench release ${n}`;
    await editConfig(trussDir, (config) => config.replace(previous, next));
    previous = next;
    const timed = await runRelease(rig, { ...base, trussDir });
    if (timed.result.status !== 'promoted') {
      throw new Error(`release ${n} ended ${timed.result.status}: ${timed.result.reason ?? 'no reason given'}`);
    }
    return timed;
  };

  const runs: TimedRelease[] = [];
  try {
    const first = await release(0);
    result.metrics.push({ name: 'first release (creates the model) total', unit: 'ms', value: first.times.totalMs });
    await afterEach?.(0);
    for (let n = 1; n <= timedRuns; n++) {
      runs.push(await release(n));
      await afterEach?.(n);
    }
    result.metrics.push(...releaseMetrics(runs));
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  }
  return { result, runs };
}

export type ReleaseInputBase = Omit<DeployInput, 'pushTaskQueue' | 'trussDir' | 'modelName'>;

/** What every bench release asks for (the model name and Truss aside); the plain-script baseline asks the same. */
export async function releaseInputBase(): Promise<ReleaseInputBase> {
  return {
    environment: 'production',
    candidate: { kind: 'published' },
    validation: await loadValidationFile(validationFile),
    labels: { source: 'bench' },
    cleanupOnReject: false,
  };
}

function releaseMetrics(runs: TimedRelease[]): Metric[] {
  const metrics: Metric[] = [];
  for (const stage of stages) {
    const spent = runs.flatMap((run) => run.times.stages.get(stage) ?? []);
    metrics.push(...medianAndMax(stage, spent));
  }
  metrics.push(
    ...medianAndMax(
      'total',
      runs.map((run) => run.times.totalMs),
    ),
  );
  metrics.push(
    ...medianAndMax(
      'total as the client saw it',
      runs.map((run) => run.wallMs),
    ),
  );
  return metrics;
}
