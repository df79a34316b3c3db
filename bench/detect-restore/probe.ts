import { request } from 'undici';

/** One prediction the client sent to production, and what came back. */
export interface ProbeAnswer {
  sentAt: number;
  doneAt: number;
  status: number;
  /** Which deployment answered (its `from`), for a 200. */
  from?: string;
}

/** HTTP statuses the emulator answers when nothing can serve: no deployment, not ready, unavailable, timeout. */
const notServing = new Set([404, 502, 503, 504]);

export function servedByNobody(answer: ProbeAnswer): boolean {
  return answer.status === 0 || notServing.has(answer.status);
}

const requestTimeoutMs = 60_000;
const maxInFlight = 200;
/** Answers older than this are dropped: an incident never looks further back. */
const keptMs = 5 * 60_000;

/**
 * A client of the model's production endpoint, as real traffic would be: one prediction every `everyMs`, open loop
 * (a slow answer does not hold the next one back), each answer recorded with who served it.
 */
export class ProductionProbe {
  private answers: ProbeAnswer[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;

  constructor(
    private readonly url: string,
    private readonly apiKey: string,
    readonly everyMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.send(), this.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Answers to predictions sent at or after `since`, in the order they were sent. */
  since(since: number): ProbeAnswer[] {
    return this.answers.filter((a) => a.sentAt >= since).sort((a, b) => a.sentAt - b.sentAt);
  }

  private send(): void {
    if (this.inFlight >= maxInFlight) return;
    this.inFlight++;
    const sentAt = Date.now();
    const record = (status: number, from?: string): void => {
      this.inFlight--;
      this.answers.push({ sentAt, doneAt: Date.now(), status, ...(from === undefined ? {} : { from }) });
      if (this.answers.length % 500 === 0) this.answers = this.answers.filter((a) => a.sentAt > Date.now() - keptMs);
    };
    request(this.url, {
      method: 'POST',
      headers: { authorization: `Api-Key ${this.apiKey}`, 'content-type': 'application/json' },
      body: '{"text": "who is there"}',
      headersTimeout: requestTimeoutMs,
      bodyTimeout: requestTimeoutMs,
    })
      .then(async (response) => {
        const text = await response.body.text();
        const from = response.statusCode === 200 ? fromOf(text) : undefined;
        record(response.statusCode, from);
      })
      .catch(() => record(0));
  }
}

function fromOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { from?: unknown };
    return typeof body.from === 'string' ? body.from : undefined;
  } catch {
    return undefined;
  }
}
