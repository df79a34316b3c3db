/** Exit codes are a contract with CI scripts: never renumber them. */
export const ExitCode = {
  ok: 0,
  /** Anything not covered below (a crash, Temporal unreachable, ...). */
  failure: 1,
  /** Bad input: nothing was started and nothing was changed. */
  usage: 2,
  /** The candidate was rejected by validation; production is untouched. */
  rejected: 3,
  /** The candidate failed to build or deploy. */
  buildFailed: 4,
  /** Promotion or its verification failed, and production was reverted to the previous deployment (verified). */
  promotionFailed: 5,
  /**
   * Promotion or its verification failed and production could not be put back (the revert failed, or there was
   * nothing to revert to): it may be serving the unverified candidate. Someone must look now.
   */
  notReverted: 6,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
