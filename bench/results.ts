import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const metricSchema = z.object({
  name: z.string().min(1),
  /** `ms` (durations, latencies) and `count` (errors) are better lower, `req/s` higher. */
  unit: z.enum(['ms', 'req/s', 'count']),
  value: z.number(),
});
export type Metric = z.infer<typeof metricSchema>;

const benchmarkResultSchema = z.object({
  title: z.string(),
  /** What was run, e.g. "3 releases"; printed under the title so numbers are read against their setup. */
  setup: z.string(),
  metrics: z.array(metricSchema),
  /** Set when the benchmark could not finish; its metrics are then partial or empty. */
  error: z.string().optional(),
});
export type BenchmarkResult = z.infer<typeof benchmarkResultSchema>;

const resultsFileSchema = z.object({
  recordedAt: z.string(),
  machine: z.object({ cpus: z.number(), node: z.string(), platform: z.string() }),
  benchmarks: z.record(z.string(), benchmarkResultSchema),
});
export type ResultsFile = z.infer<typeof resultsFileSchema>;

/** This run's results, values rounded to tenths (finer digits are noise, and make the baseline diff unreadable). */
export function resultsFile(benchmarks: Record<string, BenchmarkResult>): ResultsFile {
  const rounded = Object.entries(benchmarks).map(([name, result]) => {
    const metrics = result.metrics.map((m) => ({ ...m, value: Math.round(m.value * 10) / 10 }));
    return [name, { ...result, metrics }] as const;
  });
  return {
    recordedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}` },
    benchmarks: Object.fromEntries(rounded),
  };
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
