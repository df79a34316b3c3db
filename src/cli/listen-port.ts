import { UsageError } from '../common/usage-error';

/** `--port` of a command that listens: 0..65535, where 0 picks a free port. */
export function parseListenPort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535)
    throw new UsageError(`--port '${value}': expected 0..65535 (0 picks a free port)`);
  return port;
}

/** For a failed start's `.catch`: a port in use is the user's to change, any other failure stays as it is. */
export function refuseBusyPort(port: number): (err: unknown) => never {
  return (err) => {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UsageError(`--port ${port} is already in use (pick another, or 0 for a free one)`);
    throw err;
  };
}
