/**
 * What the lifecycle service refuses, independent of transport: the management API maps these to
 * 404/400/409, and the truss-push GraphQL front to its own error codes.
 */
export type ServiceErrorKind = 'not_found' | 'invalid' | 'conflict';

export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(
    readonly kind: ServiceErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (message: string): ServiceError => new ServiceError('not_found', message);
export const invalid = (message: string): ServiceError => new ServiceError('invalid', message);
export const conflict = (message: string): ServiceError => new ServiceError('conflict', message);
