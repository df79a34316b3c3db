import path from 'node:path';
import { projectRoot } from '../src/tools/paths';
import { loadValidationFile } from '../src/validation/load';
import type { DeployInput } from '../src/workflows/types';
import { medianAndMax } from './load';
import type { BenchmarkResult, Metric } from './results';
import { runRelease, type TimedRelease } from './run-release';
import type { ReleaseRig } from './stack';
import { copyExample, editConfig } from './truss-copy';

const timedRuns = 3;
/** The stages of a release that promotes; the final `promoted` stage only marks the end. */
const stages = ['pushing', 'building', 'validating', 'promoting', 'verifying'] as const;
const validationFile = path.join(projectRoot, 'examples', 'validation', 'text-transform.yaml');
const greeting = 'hello from config.yaml';

/**
 * Full releases of examples/text-transform: push with the real truss CLI, ACTIVE, validation with
 * examples/validation/text-transform.yaml, promote, verify. A first release creates the model (reported on
 * its own); the timed ones each promote a changed Truss over the previous production, as CI does on a merge.
 */
export async function benchRelease(rig: ReleaseRig, workDir: string): Promise<BenchmarkResult> {
  const result: BenchmarkResult = {
    title: 'Release time (push with truss CLI → ACTIVE → validate → promote → verify)',
    setup: `examples/text-transform with examples/validation/text-transform.yaml; 1 first release, then ${timedRuns} timed releases over production; stage times from the workflow history`,
    metrics: [],
  };
  const trussDir = await copyExample('text-transform', path.join(workDir, 'release-text-transform'));
  const base: Omit<DeployInput, 'pushTaskQueue' | 'trussDir'> = {
    modelName: 'text-transform',
    environment: 'production',
    candidate: { kind: 'published' },
    validation: await loadValidationFile(validationFile),
    labels: { source: 'bench' },
    cleanupOnReject: false,
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

  try {
    const first = await release(0);
    result.metrics.push({ name: 'first release (creates the model) total', unit: 'ms', value: first.times.totalMs });
    const runs: TimedRelease[] = [];
    for (let n = 1; n <= timedRuns; n++) runs.push(await release(n));
    result.metrics.push(...releaseMetrics(runs));
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  }
  return result;
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
