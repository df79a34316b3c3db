/**
 * `npm run bench`: how fast a release, a failed build, validation sampling and the emulator's management API
 * are on this machine, printed next to the committed baseline (bench/baseline.json). It reports; it does not
 * gate: the exit code is 0 unless the bench itself crashes (2 for bad flags).
 *   --only release,failed-build,validation,management   run only these
 *   --update-baseline                                    rewrite bench/baseline.json with this run's clean results
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Runtime } from '@temporalio/worker';
import { parseBenchArgs, type BenchmarkName } from '../bench/args';
import { deployActive, type DeployedModel } from '../bench/deployment';
import { benchFailedBuild } from '../bench/failed-build';
import { benchManagement } from '../bench/management';
import { benchRelease } from '../bench/release';
import { mergeBaseline, readResults, resultsFile, writeResults, type BenchmarkResult } from '../bench/results';
import { benchSdkLogger } from '../bench/sdk-logger';
import { benchSettings, BenchStack } from '../bench/stack';
import { formatTable } from '../bench/table';
import { benchValidation } from '../bench/validation';
import { benchDetectRestore } from '../bench/detect-restore';
import { benchHistoryCost } from '../bench/history-cost';
import { benchScale } from '../bench/scale';
import { ExitCode } from '../src/common/exit-codes';
import { UsageError } from '../src/common/usage-error';
import { projectRoot } from '../src/tools/paths';

const baselineFile = path.join(projectRoot, 'bench', 'baseline.json');
const latestFile = path.join(projectRoot, '.baseten-cd', 'bench', 'latest.json');

const emulatorLogger = {
  info: () => undefined,
  warn: (m: string) => console.error(`  emulator: ${m}`),
  error: (m: string) => console.error(`  emulator: ${m}`),
};

/** Ctrl-C or a SIGTERM still stops the servers and model processes the bench started. */
function stopOnSignal(stack: BenchStack): void {
  const stop = (signal: NodeJS.Signals): void => {
    console.error(`\nbench: ${signal}, stopping everything it started...`);
    void stack.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function run(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  // The output is the tables: only SDK warnings and errors get through.
  Runtime.install({ logger: benchSdkLogger(), shutdownSignals: [] });
  const baseline = await readResults(baselineFile);
  console.log(
    [
      `baseten-cd bench: ${args.only.join(', ')}`,
      `  baseline: ${baseline ? `${baseline.recordedAt} (${baseline.machine.cpus} CPUs, node ${baseline.machine.node})` : 'none yet (run with --update-baseline)'}`,
      `  emulator phases ${benchSettings.emulatorTimings.buildMs} ms, worker polls every ${benchSettings.poll.initialMs}-${benchSettings.poll.maxMs} ms`,
    ].join('\n'),
  );

  const stack = await BenchStack.create(emulatorLogger);
  stopOnSignal(stack);
  const results: Partial<Record<BenchmarkName, BenchmarkResult>> = {};
  let lastReport = performance.now();
  const report = (name: BenchmarkName, result: BenchmarkResult): void => {
    results[name] = result;
    const took = ((performance.now() - lastReport) / 1000).toFixed(0);
    lastReport = performance.now();
    console.log(`\n${formatTable(result, baseline?.benchmarks[name])}\n  (${took} s)`);
  };
  const selected = (name: BenchmarkName): boolean => args.only.includes(name);
  try {
    const parts = await stack.startEmulator();
    const { emulator, control, baseten } = parts;
    if (selected('release') || selected('failed-build')) {
      const rig = await stack.startReleaseRig(parts);
      if (selected('release')) report('release', await benchRelease(rig, stack.workDir));
      if (selected('failed-build')) report('failed-build', await benchFailedBuild(rig, stack.workDir));
    }
    if (selected('validation') || selected('management')) {
      const trussDir = path.join(projectRoot, 'examples', 'text-transform');
      const model: DeployedModel = await deployActive(control, baseten, trussDir, 'bench-sampling');
      if (selected('validation')) report('validation', await benchValidation(emulator, baseten, model));
      if (selected('management')) report('management', await benchManagement(emulator, model));
    }
    if (selected('detect-restore')) {
      const options = args.quick ? { perCell: 2, lanes: 12 } : { perCell: 20, lanes: 16 };
      report('detect-restore', await benchDetectRestore(stack, parts, options));
    }
    if (selected('history-cost')) report('history-cost', await benchHistoryCost(args.quick ? 0.5 : 3, 25));
    if (selected('scale')) {
      const options = args.quick
        ? {
            fleets: [
              { models: 100, faults: 3 },
              { models: 1000, faults: 4 },
            ],
            windowMs: 12_000,
          }
        : {
            fleets: [
              { models: 100, faults: 10 },
              { models: 1000, faults: 20 },
            ],
            windowMs: 60_000,
          };
      report('scale', await benchScale(stack, options));
    }
  } finally {
    await stack.close();
  }

  const current = resultsFile(results);
  await writeResults(latestFile, current);
  console.log(`\nresults written to ${path.relative(projectRoot, latestFile)}`);
  if (args.updateBaseline) {
    await writeResults(baselineFile, mergeBaseline(baseline, current));
    console.log(`baseline updated: ${path.relative(projectRoot, baselineFile)}`);
  }
}

run().then(
  () => process.exit(ExitCode.ok),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(err.message);
      process.exit(ExitCode.usage);
    }
    console.error(`bench crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(ExitCode.failure);
  },
);
