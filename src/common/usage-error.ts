/** Bad input from the user: printed as one line, exits with ExitCode.usage, and nothing is started. */
export class UsageError extends Error {
  override name = 'UsageError';
}
