/**
 * `npm run bench`: speed and scale on this machine, with real parts (a Temporal dev server, the emulator, fleet
 * workers): releases and their orchestration overhead, a failed build, validation sampling and its load generator
 * against autocannon, the emulator's management API, detect-to-restore against the CI/CD guide's poller, the history
 * cost of watching, and how many models one worker watches. Prints one table per benchmark next to the committed
 * baseline (bench/baseline.json) and writes bench/results.json. It reports; it does not gate: the exit code is 0
 * unless the bench itself crashes (2 for bad flags).
 *   --quick              fewer repetitions, the same benchmarks and result keys (about 2.5 minutes)
 *   --only a,b           run only these (bench/args.ts lists them)
 *   --update-baseline    rewrite bench/baseline.json with this run's clean results (full runs only)
 *   --help               the usage (bench/args.ts)
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Runtime } from '@temporalio/worker';
import { benchUsage, parseBenchArgs, type BenchmarkName } from '../bench/args';
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
import { benchBlastRadius } from '../bench/blast-radius';
import { benchLoadGenerator } from '../bench/load-generator';
import { benchOrchestration } from '../bench/orchestration';
import { plainBaseline } from '../bench/plain-release';
import { ExitCode } from '../src/common/exit-codes';
import { UsageError } from '../src/common/usage-error';
import { projectRoot } from '../src/tools/paths';

const baselineFile = path.join(projectRoot, 'bench', 'baseline.json');
const resultsPath = path.join(projectRoot, 'bench', 'results.json');

/** How much of each benchmark a run does: the full run (about 12 minutes) and --quick (about 2.5, the same keys). */
const fullPlan = {
  releases: 10,
  failedBuilds: 2,
  blastRadius: 3,
  validationSamples: 200,
  load: { requests: 2000, rounds: 3 },
  incidents: { perCell: 20, lanes: 16 },
  watchedHours: 3,
  scale: {
    fleets: [
      { models: 100, faults: 10 },
      { models: 1000, faults: 20 },
    ],
    windowMs: 60_000,
  },
};
const quickPlan: typeof fullPlan = {
  releases: 1,
  failedBuilds: 1,
  blastRadius: 1,
  validationSamples: 50,
  load: { requests: 300, rounds: 1 },
  incidents: { perCell: 1, lanes: 12 },
  watchedHours: 0.5,
  scale: {
    fleets: [
      { models: 100, faults: 3 },
      { models: 1000, faults: 4 },
    ],
    windowMs: 10_000,
  },
};

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
  const startedAt = performance.now();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.help) {
    console.log(benchUsage);
    return;
  }
  // The output is the tables: only SDK warnings and errors get through.
  Runtime.install({ logger: benchSdkLogger(), shutdownSignals: [] });
  const baseline = await readResults(baselineFile);
  console.log(
    [
      `baseten-cd bench${args.quick ? ' --quick' : ''}: ${args.only.join(', ')}`,
      `  machine: ${os.cpus().length} CPUs, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${loadAtStart.toFixed(2)} at start (other work on the machine skews every number)`,
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
  const plan = args.quick ? quickPlan : fullPlan;
  // --quick runs the scale and detect-restore benchmarks (each with its own worker and models; scale with its own
  // Temporal server and emulator too) alongside the benchmarks that follow the release benchmark, to stay within
  // about 3 minutes; their figures are rougher for it. Started any earlier, scale's 1,000 workflows slowed a
  // release's fresh candidate past validation's 3× comparison with production. A full run takes them one at a time.
  const alongside = new Map<BenchmarkName, Promise<BenchmarkResult>>();
  const startAlongside = (name: BenchmarkName, start: () => Promise<BenchmarkResult>): void => {
    if (!args.quick || !selected(name) || alongside.has(name)) return;
    const running = start();
    running.catch(() => undefined);
    alongside.set(name, running);
  };
  /** A benchmark's result: awaited when it ran alongside, else run now. */
  const finish = async (name: BenchmarkName, start: () => Promise<BenchmarkResult>): Promise<void> => {
    if (selected(name)) report(name, await (alongside.get(name) ?? start()));
  };
  try {
    const parts = await stack.startEmulator();
    const { emulator, control, baseten } = parts;
    const scale = () => benchScale(stack, plan.scale);
    const detectRestore = () => benchDetectRestore(stack, parts, plan.incidents);
    const startBoth = (): void => {
      startAlongside('scale', scale);
      startAlongside('detect-restore', detectRestore);
    };
    const onReleaseRig: BenchmarkName[] = ['release', 'orchestration', 'failed-build', 'blast-radius'];
    if (onReleaseRig.some(selected)) {
      const rig = await stack.startReleaseRig(parts);
      if (selected('release') || selected('orchestration')) {
        const plain = selected('orchestration') ? await plainBaseline(parts, stack.workDir) : undefined;
        const { result, runs } = await benchRelease(rig, stack.workDir, plan.releases, plain?.afterEach);
        if (selected('release')) report('release', result);
        if (plain)
          report('orchestration', benchOrchestration(runs, plain.runs, { ours: result.error, plain: plain.error }));
      }
      startBoth();
      if (selected('failed-build'))
        report('failed-build', await benchFailedBuild(rig, stack.workDir, plan.failedBuilds));
      if (selected('blast-radius'))
        report('blast-radius', await benchBlastRadius(rig, parts, stack.workDir, plan.blastRadius));
    }
    startBoth();
    if (selected('validation') || selected('load-generator') || selected('management')) {
      const trussDir = path.join(projectRoot, 'examples', 'text-transform');
      const model: DeployedModel = await deployActive(control, baseten, trussDir, 'bench-sampling');
      if (selected('validation'))
        report('validation', await benchValidation(emulator, baseten, model, plan.validationSamples));
      if (selected('load-generator'))
        report('load-generator', await benchLoadGenerator(emulator, control, model, plan.load));
      if (selected('management')) report('management', await benchManagement(emulator, model));
    }
    await finish('detect-restore', detectRestore);
    if (selected('history-cost')) report('history-cost', await benchHistoryCost(plan.watchedHours, 25));
    await finish('scale', scale);
  } finally {
    await stack.close();
  }

  const current = resultsFile(results, args.quick ? 'quick' : 'full', loadAtStart);
  await writeResults(resultsPath, current);
  console.log(
    `\nresults written to ${path.relative(projectRoot, resultsPath)} (${((performance.now() - startedAt) / 1000).toFixed(0)} s in all)`,
  );
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
