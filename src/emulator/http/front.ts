import type { ServerResponse } from 'node:http';
import type { EmulatorRequest } from './request';

/**
 * One face of the emulator (management API, inference, control, truss push's GraphQL and S3...).
 * The server asks each front in order whether it takes a request; the first that matches handles it.
 * The list is assembled in ../fronts.ts.
 */
export interface Front {
  name: string;
  matches(req: EmulatorRequest): boolean;
  handle(req: EmulatorRequest, res: ServerResponse): Promise<void>;
}

/** `api.localhost`, `model-abc.localhost`: the hosts truss and Baseten clients use, reached through a proxy. */
export function isNamedLocalHost(hostname: string): boolean {
  return hostname.endsWith('.localhost');
}
