import { ApplicationFailure, type LogLevel, type LogMetadata } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { notificationRetryType } from '../../src/activities/notify';

/**
 * Worker warnings the tests cause on purpose. A non-retryable ApplicationFailure is an activity's deliberate
 * verdict (a build failed, a candidate was rejected): the workflow handles it and the test asserts on the
 * outcome. Push workers host activities only, by design. A webhook that is down (the notification tests make
 * it so) fails the notify activity for a retry. The secret scan's self-test fails its leaky workflows on purpose.
 * Every other warning and error is still printed.
 */
function isExpected(message: string, meta: LogMetadata | undefined): boolean {
  if (message === 'No workflows registered, not polling for workflow tasks') return true;
  if (transientFaultsExpected && message === 'Activity failed' && isTransientBasetenFailure(meta?.error)) return true;
  if (message === 'Workflow failed' && meta?.workflowType === 'leakyWorkflow') return true;
  if (/^notification \S+ not delivered: webhook /.test(message)) return true;
  const error: unknown = meta?.error;
  return (
    message === 'Activity failed' &&
    error instanceof ApplicationFailure &&
    (error.nonRetryable === true || error.type === notificationRetryType)
  );
}

/** The client's error classes of failures a retry may fix (see isRetryable in src/baseten/errors.ts). */
const transientTypes = new Set([
  'RateLimitError',
  'InternalServerError',
  'APIConnectionError',
  'APIConnectionTimeoutError',
]);

function isTransientBasetenFailure(error: unknown): boolean {
  return error instanceof ApplicationFailure && !error.nonRetryable && transientTypes.has(error.type ?? '');
}

let transientFaultsExpected = false;

/** For a suite that injects control-plane faults on purpose: the retried activity failures they cause are quiet. */
export function expectTransientBasetenFailures(expected: boolean): void {
  transientFaultsExpected = expected;
}

class TestLogger extends DefaultLogger {
  override log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (!isExpected(message, meta)) super.log(level, message, meta);
  }
}

/** Worker warnings and errors, less the expected ones above: the Runtime's logger in tests, and for mock activities. */
export const testLogger = new TestLogger('WARN');
