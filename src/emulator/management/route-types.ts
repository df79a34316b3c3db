import type { Params } from '../http/router';
import type { EmulatorRequest } from '../http/request';
import type { JsonReply } from '../http/respond';
import type { EmulatorService } from '../lifecycle/service';

export interface ManagementCall {
  req: EmulatorRequest;
  params: Params;
  service: EmulatorService;
}

export type ManagementHandler = (call: ManagementCall) => Promise<JsonReply>;

export const ok = (body: unknown): JsonReply => ({ status: 200, body });

/** Route parameters are always present when the route matched. */
export function param(call: ManagementCall, name: string): string {
  const value = call.params[name];
  if (value === undefined) throw new Error(`route has no :${name}`);
  return value;
}
