import { ApplicationFailure } from '@temporalio/common';
import { toActivityFailure } from '../../../src/activities/failures';
import { APIConnectionError, APIError, isRetryable, ResponseValidationError } from '../../../src/baseten';
import { permanentBasetenErrorTypes } from '../../../src/common/failure-types';
import { sendJson, startHttpTestServer, type HttpTestServer } from '../../support/http-test-server';
import { clientFor } from './fixtures';

// One failure model: the Baseten client decides what is worth retrying, and the activity wrapper carries that
// same decision to Temporal. Walk every error status through both, over real HTTP.

let server: HttpTestServer;
beforeAll(async () => {
  server = await startHttpTestServer();
});
afterAll(() => server.close());

const statuses = Array.from({ length: 200 }, (_, i) => 400 + i);

describe('the client and the activity wrapper agree on what is retryable', () => {
  it.each(statuses)('HTTP %i', async (status) => {
    server.handle((_req, res) =>
      sendJson(res, status, { error: `status ${status}`, ...(status === 429 ? { retry_after: 0 } : {}) }),
    );
    const before = server.requests.length;
    // One retry allowed: the client retries exactly the statuses it judges retryable.
    const err = await clientFor(server, { maxRetries: 1 })
      .getModel('m1')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(APIError);
    const clientRetried = server.requests.length - before === 2;
    expect(clientRetried).toBe(isRetryable(err));

    const failure = toActivityFailure(err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    const { nonRetryable, type, details } = failure as ApplicationFailure;
    expect(nonRetryable).toBe(!clientRetried);
    expect(type).toBe((err as APIError).constructor.name);
    // The HTTP status travels in the failure's details, for the history and the CLI.
    expect(details?.[0]).toMatchObject({ status });
  });

  it('lists as permanent exactly the error classes whose every status the client will not retry', () => {
    const verdicts = new Map<string, boolean[]>();
    for (const status of statuses) {
      const err = APIError.generate(status, {}, `status ${status}`, {});
      const name = err.constructor.name;
      verdicts.set(name, [...(verdicts.get(name) ?? []), isRetryable(err)]);
    }
    const permanent = [...verdicts].filter(([, retryable]) => retryable.every((r) => !r)).map(([name]) => name);
    // The generic APIError covers both kinds (405 is final, 408 is retried): its failures carry the flag instead.
    expect(verdicts.get('APIError')).toEqual(expect.arrayContaining([true, false]));
    expect([...permanentBasetenErrorTypes].sort()).toEqual(permanent.filter((n) => n !== 'APIError').sort());
  });

  it('carries the same decision for errors without a status, and leaves foreign errors unchanged', () => {
    const refused = new APIConnectionError('Could not reach Baseten: connection refused');
    const garbled = new ResponseValidationError('not the API schema', 'getModel', [], {});
    expect(toActivityFailure(refused)).toMatchObject({
      type: 'APIConnectionError',
      nonRetryable: !isRetryable(refused),
    });
    expect(toActivityFailure(garbled)).toMatchObject({
      type: 'ResponseValidationError',
      nonRetryable: !isRetryable(garbled),
    });
    const plain = new Error('bug');
    expect(toActivityFailure(plain)).toBe(plain);
  });
});
