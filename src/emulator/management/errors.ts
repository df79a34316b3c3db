import { managementError } from '../http/http-error';
import { InvalidInputError } from '../http/json-body';
import { ServiceError } from '../lifecycle/service-error';

const statusOf: Record<ServiceError['kind'], number> = { not_found: 404, invalid: 400, conflict: 409 };

/** Service refusals and bad input become JSON 4xx errors; anything else is passed on (and becomes a 500). */
export function asManagementError(err: unknown): unknown {
  if (err instanceof ServiceError) return managementError(statusOf[err.kind], err.message);
  if (err instanceof InvalidInputError) return managementError(400, err.message);
  return err;
}
