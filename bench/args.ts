import { parseArgs } from 'node:util';
import { UsageError } from '../src/common/usage-error';

/** Every benchmark, in the order they run. */
export const benchmarkNames = [
  'release',
  'orchestration',
  'failed-build',
  'blast-radius',
  'validation',
  'load-generator',
  'management',
  'detect-restore',
  'history-cost',
  'scale',
] as const;
export type BenchmarkName = (typeof benchmarkNames)[number];

export const benchUsage = `usage: npm run bench -- [--quick] [--only a,b] [--update-baseline] [--help]

Speed and scale of baseten-cd on this machine, each figure next to a baseline measured in the same run; prints one
table per benchmark and writes bench/results.json. Real parts: a Temporal dev server, the emulator with Python model
processes (stubbed in the scale run only), fleet workers, the truss CLI.

  --quick             fewer repetitions and shorter windows, the scale and detect-restore runs
                      alongside the benchmarks after the release benchmark (rougher figures), the
                      same benchmarks and result keys (about 2.5 minutes; a full run takes about 12)
  --only a,b          run only these: ${benchmarkNames.join(', ')}
  --update-baseline   rewrite bench/baseline.json with this run's clean results (full runs only)
  --help              print this and exit

Exit code 0 unless the bench itself crashes (1), 2 for bad flags: it reports, it does not gate.`;

export interface BenchArgs {
  /** Print the usage and exit. */
  help: boolean;
  /** Rewrite bench/baseline.json with this run's clean results. */
  updateBaseline: boolean;
  /** Fewer repetitions and shorter windows: the same benchmarks and result keys within 3 minutes. */
  quick: boolean;
  only: BenchmarkName[];
}

function isBenchmarkName(name: string): name is BenchmarkName {
  return (benchmarkNames as readonly string[]).includes(name);
}

/** `[--quick] [--update-baseline] [--only a,b] [--help]`; anything else is a UsageError in one line. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  let values: { 'update-baseline'?: boolean; quick?: boolean; only?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'update-baseline': { type: 'boolean' },
        quick: { type: 'boolean' },
        only: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(`bench: ${(err as Error).message}`);
  }
  const only = values.only === undefined ? [...benchmarkNames] : values.only.split(',').map((name) => name.trim());
  const unknown = only.filter((name) => !isBenchmarkName(name));
  if (unknown.length > 0 || only.length === 0) {
    throw new UsageError(
      `bench: --only ${JSON.stringify(values.only)}: unknown benchmark ${unknown.map((n) => `"${n}"`).join(', ')} (choose from ${benchmarkNames.join(', ')})`,
    );
  }
  if (values.quick && values['update-baseline']) {
    throw new UsageError('bench: --update-baseline takes the numbers of a full run, not of --quick');
  }
  return {
    help: values.help ?? false,
    updateBaseline: values['update-baseline'] ?? false,
    quick: values.quick ?? false,
    only: benchmarkNames.filter((name) => only.includes(name)),
  };
}
