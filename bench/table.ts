import type { BenchmarkResult, Metric } from './results';

const headers = ['metric', 'baseline', 'current', 'change (%)'] as const;

/** Tenths below 100, whole numbers above: more digits than that is noise on a shared 2-core machine. */
export function formatValue(value: number, unit?: Metric['unit']): string {
  if (unit === 'ratio') return value.toFixed(2);
  return Math.abs(value) < 100 ? value.toFixed(1) : Math.round(value).toString();
}

/** Signed change from the baseline, or `n/a` when there is no baseline number (or it is 0). */
export function formatChange(baseline: number | undefined, current: number): string {
  if (baseline === undefined || baseline === 0) return 'n/a';
  const change = ((current - baseline) / baseline) * 100;
  return `${change >= 0 ? '+' : ''}${change.toFixed(1)}`;
}

function label(metric: Metric): string {
  return `${metric.name} (${metric.unit})`;
}

/** One benchmark as a text table: metric, baseline, current, change (%), with its title and setup above. */
export function formatTable(current: BenchmarkResult, baseline: BenchmarkResult | undefined): string {
  const before = new Map((baseline?.metrics ?? []).map((m) => [label(m), m.value]));
  const rows = current.metrics.map((metric) => {
    const old = before.get(label(metric));
    return [
      label(metric),
      old === undefined ? '-' : formatValue(old, metric.unit),
      formatValue(metric.value, metric.unit),
      formatChange(old, metric.value),
    ];
  });
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('   ');
  const lines = [`${current.title}`, `  ${current.setup}`, line(headers), line(widths.map((w) => '-'.repeat(w)))];
  lines.push(...rows.map(line));
  for (const note of current.notes ?? []) lines.push(`  note: ${note}`);
  if (current.error) lines.push(`ERROR: ${current.error}`);
  return lines.join('\n');
}
