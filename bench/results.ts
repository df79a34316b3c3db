import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const metricSchema = z.object({
  name: z.string().min(1),
  /**
   * `ms`/`s` durations and latencies, `count` (errors, misses), `ratio` (ours ÷ a baseline measured in the same
   * run), `events/h` and `actions/h` (Temporal history per watched model-hour), `%` (CPU of one core), `MiB`.
   */
  unit: z.enum(['ms', 's', 'req/s', 'count', 'ratio', 'events/h', 'actions/h', '%', 'MiB']),
  value: z.number(),
});
export type Metric = z.infer<typeof metricSchema>;

const benchmarkResultSchema = z.object({
  title: z.string(),
  /** What was run, e.g. "3 releases"; printed under the title so numbers are read against their setup. */
  setup: z.string(),
  metrics: z.array(metricSchema),
  /** What a reader must know to read the numbers right (a target missed and why, a stand-in used). */
  notes: z.array(z.string()).optional(),
  /** Set when the benchmark could not finish; its metrics are then partial or empty. */
  error: z.string().optional(),
});
export type BenchmarkResult = z.infer<typeof benchmarkResultSchema>;

const resultsFileSchema = z.object({
  recordedAt: z.string(),
  /** `quick`: fewer repetitions (npm run bench -- --quick); the keys are the same as a full run's. */
  mode: z.enum(['full', 'quick']).optional(),
  machine: z.object({
    cpus: z.number(),
    node: z.string(),
    platform: z.string(),
    memoryMiB: z.number().optional(),
    /** The 1-minute load average when the run started: other work on the machine skews every number. */
    loadAverage: z.number().optional(),
  }),
  benchmarks: z.record(z.string(), benchmarkResultSchema),
});
export type ResultsFile = z.infer<typeof resultsFileSchema>;

/** This run's results, values rounded to tenths (finer digits are noise, and make the baseline diff unreadable). */
export function resultsFile(
  benchmarks: Record<string, BenchmarkResult>,
  mode: 'full' | 'quick' = 'full',
  loadAverage: number = os.loadavg()[0] ?? 0,
): ResultsFile {
  const rounded = Object.entries(benchmarks).map(([name, result]) => {
    const metrics = result.metrics.map((m) => ({ ...m, value: roundValue(m) }));
    return [name, { ...result, metrics }] as const;
  });
  return {
    recordedAt: new Date().toISOString(),
    mode,
    machine: {
      cpus: os.cpus().length,
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      memoryMiB: Math.round(os.totalmem() / 2 ** 20),
      loadAverage: Math.round(loadAverage * 100) / 100,
    },
    benchmarks: Object.fromEntries(rounded),
  };
}

/** Ratios keep two decimals (1.05 and 1.14 differ); everything else tenths. */
function roundValue(metric: Metric): number {
  const scale = metric.unit === 'ratio' ? 100 : 10;
  return Math.round(metric.value * scale) / scale;
}

/** The committed baseline, or undefined when there is none yet. A corrupt file is an error naming the file. */
export async function readResults(file: string): Promise<ResultsFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = resultsFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not a bench results file'}`);
  }
  return parsed.data;
}

export async function writeResults(file: string, results: ResultsFile): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
}

/**
 * The new baseline after `--update-baseline`: benchmarks that ran cleanly replace their entry; the others
 * (not selected with --only, or failed) keep the old one, so a partial run never erases good numbers.
 */
export function mergeBaseline(old: ResultsFile | undefined, current: ResultsFile): ResultsFile {
  const clean = Object.entries(current.benchmarks).filter(([, result]) => !result.error);
  return { ...current, benchmarks: { ...old?.benchmarks, ...Object.fromEntries(clean) } };
}
