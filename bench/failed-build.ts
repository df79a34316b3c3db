import path from 'node:path';
import { validationSpecSchema } from '../src/validation/schema';
import { medianAndMax } from './load';
import type { BenchmarkResult } from './results';
import { runRelease, type TimedRelease } from './run-release';
import type { ReleaseRig } from './stack';
import { copyExample } from './truss-copy';

/** A requirement no index has: pip fails the build the way a typo in requirements does. */
const missingRequirement = 'baseten-cd-bench-no-such-package==0.0.1';

/** How long a release takes to report a Truss whose build fails: from the start call to the `failed` result. */
export async function benchFailedBuild(rig: ReleaseRig, workDir: string, runs: number): Promise<BenchmarkResult> {
  const result: BenchmarkResult = {
    title: 'Time to detect a failed build (a requirement that does not exist)',
    setup: `examples/text-transform with requirement ${missingRequirement}; ${runs} releases, each must end "failed"`,
    metrics: [],
  };
  try {
    const trussDir = await copyExample('text-transform', path.join(workDir, 'failed-build'), (config) =>
      config.replace('requirements: []', `requirements:\n  - ${missingRequirement}`),
    );
    const timed: TimedRelease[] = [];
    for (let n = 1; n <= runs; n++) {
      const run = await runRelease(rig, {
        modelName: 'bench-failed-build',
        environment: 'production',
        candidate: { kind: 'published' },
        trussDir,
        // Never reached: the build fails first.
        validation: validationSpecSchema.parse({ cases: [{ name: 'never runs', input: { text: 'x' } }] }),
        cleanupOnReject: false,
      });
      if (run.result.status !== 'failed') throw new Error(`release ${n} ended ${run.result.status}, not failed`);
      timed.push(run);
    }
    result.metrics.push(
      ...medianAndMax(
        'start to failed result',
        timed.map((run) => run.wallMs),
      ),
      ...medianAndMax(
        'pushing',
        timed.map((run) => run.times.stages.get('pushing') ?? 0),
      ),
      ...medianAndMax(
        'building until BUILD_FAILED',
        timed.map((run) => run.times.stages.get('building') ?? 0),
      ),
    );
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  }
  return result;
}
