const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;

/** Human text for messages about a bad duration. */
export const DURATION_HINT = 'expected a duration like 300ms, 2s, 10m, 1h or a number of milliseconds';

/**
 * The longest duration anything here waits with a Node timer: 2^31-1 ms (about 24.8 days). Node fires a longer
 * one after 1 ms instead, so a 600h timeout would time every request out at once.
 */
export const maxDurationMs = 2 ** 31 - 1;

/**
 * `300ms`, `2s`, `10m`, `1h`, or a number of milliseconds, as whole milliseconds.
 * Returns undefined for anything else, including zero and negative durations.
 */
export function parseDuration(value: string | number): number | undefined {
  let ms: number;
  if (typeof value === 'number') {
    ms = value;
  } else {
    const match = DURATION.exec(value.trim());
    if (!match?.[1] || !match[2]) return undefined;
    ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  return Math.max(1, Math.round(ms));
}

/** Why a parsed duration cannot be waited for, or undefined (see maxDurationMs). */
export function durationLimitProblem(ms: number): string | undefined {
  return ms > maxDurationMs ? `longer than 596h, the most a timer can wait (2^31-1 ms)` : undefined;
}
