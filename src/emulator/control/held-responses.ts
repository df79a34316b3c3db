/** A management call that has been applied and whose answer is held back (the hold fault). */
export interface HeldRequest {
  id: string;
  /** The fault rule that held it. */
  ruleId: string;
  method: string;
  path: string;
  query: string;
  /** ISO 8601 time the call arrived. */
  time: string;
  /** The status of the answer that is held back (the call's effect has happened). */
  status: number;
  /** The client hung up while waiting (a killed worker): the answer, once released, goes nowhere. */
  clientClosed: boolean;
  /** ISO 8601 time it is released on its own; null: only by a release call (or clearing the faults). */
  releaseAt: string | null;
}

export type HoldInput = Pick<HeldRequest, 'ruleId' | 'method' | 'path' | 'query' | 'time' | 'status'>;

export interface Hold {
  /** Resolves when the answer may go out. */
  released: Promise<void>;
  /** Tells the registry that the client is gone. */
  markClientClosed(): void;
}

interface Entry {
  view: HeldRequest;
  release(): void;
}

/** The answers being held back, so tests can see that a call was applied and is waiting, then let it go. */
export class HeldResponses {
  private readonly entries = new Map<string, Entry>();
  private nextId = 1;

  constructor(private readonly now: () => number = Date.now) {}

  hold(input: HoldInput, holdMs: number | null): Hold {
    const id = `held-${this.nextId++}`;
    const view: HeldRequest = {
      ...input,
      id,
      clientClosed: false,
      releaseAt: holdMs === null ? null : new Date(this.now() + holdMs).toISOString(),
    };
    let timer: NodeJS.Timeout | undefined;
    const released = new Promise<void>((resolve) => {
      this.entries.set(id, {
        view,
        release: () => {
          clearTimeout(timer);
          this.entries.delete(id);
          resolve();
        },
      });
    });
    if (holdMs !== null) timer = setTimeout(() => this.entries.get(id)?.release(), holdMs);
    return { released, markClientClosed: () => (view.clientClosed = true) };
  }

  list(): HeldRequest[] {
    return [...this.entries.values()].map((e) => ({ ...e.view }));
  }

  /** Lets the answers go (all of them, or the one with this id); returns what was released. */
  release(id?: string): HeldRequest[] {
    const chosen = [...this.entries.values()].filter((e) => id === undefined || e.view.id === id);
    for (const entry of chosen) entry.release();
    return chosen.map((e) => ({ ...e.view }));
  }
}
