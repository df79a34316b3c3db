// Pure text helpers for what the Temporal UI shows of a workflow (summaries, static and current details). No
// workflow APIs here: the client builds a release's static details with them too, and tests call them directly.

/** One line of at most `max` characters: summaries are single lines, and the UI truncates long ones anyway. */
export function line(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** `12 ms`, `1.5 s`, `10 min`, `24 h`. */
export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${trim(ms / 1_000)} s`;
  if (ms < 3_600_000) return `${trim(ms / 60_000)} min`;
  return `${trim(ms / 3_600_000)} h`;
}

/** A share 0..1 as a percentage: `0 %`, `2.5 %`. */
export function percent(share: number | undefined): string {
  return share === undefined || !Number.isFinite(share) ? '–' : `${trim(share * 100)} %`;
}

/** Epoch milliseconds (workflow time) as `2026-12-01 08:48:30 UTC`; `short` keeps the time of day only. */
export function clock(at: number | undefined, short = false): string {
  if (at === undefined || !Number.isFinite(at)) return '–';
  const iso = new Date(at).toISOString();
  return short ? `${iso.slice(11, 19)}` : `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** A git commit as people quote it: the first 7 characters of a hash, anything else as given (bounded). */
export function shortCommit(commit: string): string {
  return /^[0-9a-f]{8,64}$/i.test(commit) ? commit.slice(0, 7) : line(commit, 40);
}

/** Inline code, safe for any text (backticks inside would end it). */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/**
 * A table as aligned monospace text in a fenced block. The UI's markdown renderer resets table cell padding to
 * zero, so a markdown table's columns run together; aligned text reads the same in the UI, in
 * `temporal workflow describe` and in a terminal.
 */
export function textTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const all = [headers, ...rows].map((row) => row.map((cell) => line(cell, 32).replace(/`/g, "'")));
  const widths = headers.map((_, i) => Math.max(...all.map((row) => row[i]?.length ?? 0)));
  const text = all.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  return ['```', ...text, '```'].join('\n');
}

/** A link to a workflow's page, relative to the UI's root, so it works on any Temporal UI (self-hosted or Cloud). */
export function workflowLink(namespace: string, workflowId: string, label = workflowId): string {
  return `[${label}](/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)})`;
}

/** A link to the UI's workflow list filtered by a visibility query (what a saved view holds). */
export function listLink(namespace: string, query: string, label: string): string {
  return `[${label}](/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)})`;
}

/** The visibility query of every release and watcher of a model in an environment. */
export function modelQuery(modelName: string, environment?: string): string {
  const model = `BasetenModel="${modelName.replace(/"/g, '')}"`;
  return environment ? `${model} AND BasetenEnvironment="${environment.replace(/"/g, '')}"` : model;
}

function trim(value: number): string {
  return String(+value.toFixed(value < 10 ? 2 : 1));
}
