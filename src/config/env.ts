/** Trimmed, and blank means unset: CI systems often export empty variables. */
export function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Reads an environment variable through blankToUndefined. */
export function readEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return blankToUndefined(env[name]);
}
