import { EventEmitter } from 'node:events';

/** Tells waiters when a deployment's status changes (a request held through a cold start waits on it). */
export class StatusEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  changed(deploymentId: string): void {
    this.emitter.emit(deploymentId);
  }

  /** Resolves true on the next change, false on timeout or abort. */
  next(deploymentId: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (changed: boolean) => {
        clearTimeout(timer);
        this.emitter.off(deploymentId, onChange);
        signal?.removeEventListener('abort', onAbort);
        resolve(changed);
      };
      const onChange = () => done(true);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), Math.max(0, timeoutMs));
      this.emitter.on(deploymentId, onChange);
      if (signal?.aborted) return done(false);
      signal?.addEventListener('abort', onAbort);
    });
  }
}
