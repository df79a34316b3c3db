export interface WaitOptions {
  /** Give up after this long. @default 30_000 @unit ms */
  timeoutMs?: number;
  /** Pause between checks. @default 25 @unit ms */
  intervalMs?: number;
}

/**
 * Polls `check` until it returns something other than undefined or false, and returns that value. Past the
 * deadline it throws `timed out after <n> ms waiting for <what>`; `what` may be a function, so the message
 * can say what was last seen.
 */
export async function waitFor<T>(
  what: string | (() => string),
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 25 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
