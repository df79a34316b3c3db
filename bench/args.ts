import { parseArgs } from 'node:util';
import { UsageError } from '../src/common/usage-error';

/** Every benchmark, in the order they run. */
export const benchmarkNames = [
  'release',
  'orchestration',
  'failed-build',
  'validation',
  'load-generator',
  'management',
  'detect-restore',
  'history-cost',
  'scale',
] as const;
export type BenchmarkName = (typeof benchmarkNames)[number];

export interface BenchArgs {
  /** Rewrite bench/baseline.json with this run's clean results. */
  updateBaseline: boolean;
  /** Fewer repetitions and shorter windows: the same benchmarks and result keys in about 3 minutes. */
  quick: boolean;
  only: BenchmarkName[];
}

function isBenchmarkName(name: string): name is BenchmarkName {
  return (benchmarkNames as readonly string[]).includes(name);
}

/** `[--quick] [--update-baseline] [--only a,b]`; anything else is a UsageError in one line. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  let values: { 'update-baseline'?: boolean; quick?: boolean; only?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { 'update-baseline': { type: 'boolean' }, quick: { type: 'boolean' }, only: { type: 'string' } },
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
    updateBaseline: values['update-baseline'] ?? false,
    quick: values.quick ?? false,
    only: benchmarkNames.filter((name) => only.includes(name)),
  };
}
