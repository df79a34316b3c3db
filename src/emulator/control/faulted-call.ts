import type { ServerResponse } from 'node:http';
import { managementError } from '../http/http-error';
import { rateLimitedReply } from '../http/rate-limit';
import type { EmulatorRequest } from '../http/request';
import { sendJson, type JsonReply } from '../http/respond';
import type { Faults } from './faults';
import type { Hold } from './held-responses';
import type { FaultDecision } from './management-faults';
import type { RequestLog, RequestLogEntry } from './request-log';

export interface FaultedCall {
  req: EmulatorRequest;
  res: ServerResponse;
  /** The call's request-log entry, begun when it arrived. */
  entry: RequestLogEntry;
  /** The fault the call drew, if any. */
  fault: FaultDecision | undefined;
  /** Applies the call (routes it to its handler) and settles its reply; never rejects. */
  apply: () => Promise<JsonReply>;
  faults: Faults;
  log: RequestLog;
}

/** Serves one management call with the fault it drew, and logs how it ended. Returns the reply sent, if any. */
export async function serveWithFault(call: FaultedCall): Promise<JsonReply | undefined> {
  const { req, res, entry, fault, apply, faults, log } = call;
  let clientClosed = false;
  let hold: Hold | undefined;
  res.once('close', () => {
    if (res.writableFinished) return;
    clientClosed = true;
    hold?.markClientClosed();
  });
  const answer = (reply: JsonReply): JsonReply | undefined => {
    req.raw.resume();
    if (clientClosed || res.destroyed) {
      log.finish(entry, 'client-closed', reply);
      return undefined;
    }
    sendJson(res, reply);
    log.finish(entry, 'answered', reply);
    return reply;
  };
  const gone = (): undefined => {
    log.finish(entry, 'client-closed');
    return undefined;
  };
  const drop = (reply?: JsonReply): undefined => {
    log.finish(entry, 'dropped', reply);
    req.raw.socket.destroy();
    return undefined;
  };

  if (!fault) return answer(await apply());
  const { effect, ruleId } = fault;
  entry.fault = effect.kind;
  switch (effect.kind) {
    case 'error': {
      if (effect.status === 429) return answer(rateLimitedReply(effect.retryAfterSeconds));
      const err = managementError(effect.status, effect.message ?? `Injected fault: HTTP ${effect.status}`);
      return answer({ status: err.status, body: err.body });
    }
    case 'drop':
      return drop(effect.when === 'after-apply' ? await apply() : undefined);
    case 'slow': {
      // Applied either way: a client whose timeout is shorter than the delay gives up on a change that did happen.
      // after-delay reads the whole request first, as a backend that is slow to act on it would have.
      const early = effect.apply === 'on-arrival' ? await apply() : undefined;
      if (
        !early &&
        !(await req.body().then(
          () => true,
          () => false,
        ))
      )
        return gone();
      await faults.pause(effect.delayMs);
      return answer(early ?? (await apply()));
    }
    case 'hold': {
      const reply = await apply();
      entry.status = reply.status;
      entry.outcome = 'held';
      const { method, path, query, time } = entry;
      hold = faults.held.hold({ ruleId, method, path, query, time, status: reply.status }, effect.holdMs);
      if (clientClosed) hold.markClientClosed();
      await hold.released;
      return answer(reply);
    }
  }
}
