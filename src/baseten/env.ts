/** Reads an environment variable: trimmed, and blank means unset (CI systems often export empty variables). */
export function readEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}
