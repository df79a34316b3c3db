import type { ServerResponse } from 'node:http';
import { managementError } from '../http/http-error';
import { InvalidInputError } from '../http/json-body';
import { BodyTooLargeError, type EmulatorRequest } from '../http/request';
import { errorReply, sendJson, type JsonReply } from '../http/respond';
import type { EmulatorLogger } from '../options';
import { ServiceError } from '../lifecycle/service-error';

const statusOf: Record<ServiceError['kind'], number> = { not_found: 404, invalid: 400, conflict: 409 };

/** Service refusals and bad input become JSON 4xx errors; anything else is passed on (and becomes a 500). */
export function asManagementError(err: unknown): unknown {
  if (err instanceof ServiceError) return managementError(statusOf[err.kind], err.message);
  if (err instanceof InvalidInputError) return managementError(400, err.message);
  if (err instanceof BodyTooLargeError) return managementError(413, err.message, { connection: 'close' });
  return err;
}

/** The reply, or its error as the management API's JSON error: never rejects. */
export function settleManagementReply(
  reply: Promise<JsonReply>,
  logger: Pick<EmulatorLogger, 'error'>,
): Promise<JsonReply> {
  return reply.catch((err: unknown) =>
    errorReply(asManagementError(err), (message) => ({ error: 'Internal server error', message }), logger),
  );
}

/**
 * Sends a management-style front's reply, or its error as the management API's JSON error. Any unread
 * body is drained so the connection can be reused. Returns what was sent.
 */
export async function sendManagementReply(
  req: EmulatorRequest,
  res: ServerResponse,
  reply: Promise<JsonReply>,
  logger: Pick<EmulatorLogger, 'error'>,
): Promise<JsonReply> {
  const result = await settleManagementReply(reply, logger);
  req.raw.resume();
  sendJson(res, result);
  return result;
}
