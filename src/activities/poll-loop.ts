import { z } from 'zod';
import { lastCheckpoint } from './checkpoint';
import { nextPollDelay, type ResolvedDeps } from './deps';

const startSchema = z.looseObject({ startedAt: z.number() });

/**
 * The clock of an activity that polls Baseten until something holds: when the wait began (the first attempt's
 * start, read back from the last heartbeat, so a retry keeps the deadline), how much time is left, and the
 * growing pause between two reads.
 */
export class PollLoop {
  readonly startedAt: number;
  private delay: number | undefined;

  constructor(
    private readonly deps: ResolvedDeps,
    readonly timeoutMs: number,
  ) {
    this.startedAt = lastCheckpoint(startSchema)?.startedAt ?? deps.clock();
  }

  get remainingMs(): number {
    return this.startedAt + this.timeoutMs - this.deps.clock();
  }

  get expired(): boolean {
    return this.remainingMs <= 0;
  }

  get elapsedMs(): number {
    return this.deps.clock() - this.startedAt;
  }

  /** Sleeps until the next read: the poll delay, grown by half each time, never past the deadline. */
  async pause(): Promise<void> {
    this.delay = nextPollDelay(this.delay, this.deps.poll);
    await this.deps.sleep(Math.min(this.delay, Math.max(0, this.remainingMs)));
  }
}
