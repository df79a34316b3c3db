import type { BasetenClient } from '../baseten/client';
import { AuthenticationError } from '../baseten/errors';
import { errorLine } from '../common/error-line';
import { UsageError } from '../common/usage-error';

/** One look is enough: a worker start must not wait on Baseten for long. */
const checkTimeoutMs = 10_000;

/**
 * Asks Baseten once (list models) whether it takes the worker's key, before the worker polls: a wrong key is a
 * UsageError naming BASETEN_API_KEY (one line, usage exit code, nothing started), not a release failing later.
 * Any other outcome (Baseten unreachable, a 5xx) is a warning: the worker starts, and its activities retry.
 */
export async function checkBasetenKey(baseten: Pick<BasetenClient, 'listModels'>): Promise<string | undefined> {
  try {
    await baseten.listModels({}, { timeoutMs: checkTimeoutMs });
    return undefined;
  } catch (err) {
    if (err instanceof AuthenticationError) throw new UsageError(`BASETEN_API_KEY: ${errorLine(err)}`);
    return `could not check BASETEN_API_KEY with Baseten (${errorLine(err)}); starting anyway`;
  }
}
