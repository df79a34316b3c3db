import type { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import { secretIn, secretMarker } from './secrets';

/** What one history scan saw, and what it found. */
export interface HistoryScan {
  events: number;
  /** Payloads decoded (inputs, results, heartbeats, failure details, memo, search attributes...). */
  payloads: number;
  /** Of those, how many were sealed (encrypted) and opened with a known key first. */
  sealed: number;
  /** The form of the marker found, if any. */
  found?: string;
  /** Sealed payloads no known key opens: they cannot be proven clean. */
  unreadable: number;
  /** Whether `mustSee` was in the decoded text (proof that the payloads were really read). */
  sawExpected?: boolean;
}

export interface ScanOptions {
  /** Opens sealed payloads before they are read (the test key ring, when encryption is on). */
  codecs?: readonly PayloadCodec[];
  /** What to look for. @default secretMarker */
  needle?: string;
  /** Plain text the decoded history must hold (a model name in the input, say). */
  mustSee?: string;
}

const decoder = new TextDecoder();

function isPayload(value: object): value is Payload {
  const metadata = (value as { metadata?: unknown }).metadata;
  return (
    typeof metadata === 'object' &&
    metadata !== null &&
    (metadata as Record<string, unknown>).encoding instanceof Uint8Array
  );
}

function encodingOf(payload: Payload): string | undefined {
  const encoding = payload.metadata?.encoding;
  return encoding ? decoder.decode(encoding) : undefined;
}

/** Opens a payload with the first codec that can; undefined when none can (a key nobody gave the scan). */
async function opened(payload: Payload, codecs: readonly PayloadCodec[]): Promise<Payload | undefined> {
  for (const codec of codecs) {
    try {
      const [plain] = await codec.decode([payload]);
      if (plain && encodingOf(plain) !== encodingOf(payload)) return plain;
    } catch {
      // Not this codec's key: try the next one.
    }
  }
  return undefined;
}

/**
 * Every string in a history, with every payload's metadata and data decoded as UTF-8 (sealed payloads opened
 * first), so a secret in any input, result, heartbeat, memo, search attribute or failure (message, stack trace,
 * details, encoded attributes) shows.
 */
async function collect(value: unknown, out: string[], scan: HistoryScan, codecs: readonly PayloadCodec[]) {
  if (typeof value === 'string') {
    out.push(value);
  } else if (value instanceof Uint8Array) {
    out.push(decoder.decode(value));
  } else if (Array.isArray(value)) {
    for (const item of value) await collect(item, out, scan, codecs);
  } else if (typeof value === 'object' && value !== null) {
    if (isPayload(value)) {
      scan.payloads += 1;
      if (encodingOf(value) === 'binary/encrypted') {
        const plain = await opened(value, codecs);
        if (!plain) {
          scan.unreadable += 1;
          return;
        }
        scan.sealed += 1;
        // Its fields, not the payload again: it is counted once.
        for (const item of Object.values(plain)) await collect(item, out, scan, codecs);
        return;
      }
    }
    for (const item of Object.values(value)) await collect(item, out, scan, codecs);
  }
}

/** Scans one history for the test API key marker. A history with no events is an error: nothing was scanned. */
export async function scanHistory(history: History, options: ScanOptions = {}): Promise<HistoryScan> {
  const events = history.events?.length ?? 0;
  if (events === 0) throw new Error('secret scan: the history has no events (nothing to scan)');
  const scan: HistoryScan = { events, payloads: 0, sealed: 0, unreadable: 0 };
  const strings: string[] = [];
  await collect(history, strings, scan, options.codecs ?? []);
  const text = strings.join('\n');
  const found = secretIn(text, options.needle ?? secretMarker);
  if (options.mustSee !== undefined) scan.sawExpected = text.includes(options.mustSee);
  return found === undefined ? scan : { ...scan, found };
}

/**
 * For a test's own workflows: throws when the history holds the marker, has a sealed payload no key opens, has
 * no payload at all, or lacks `mustSee` (the scan must prove it read the payloads).
 */
export async function expectNoSecretInHistory(
  handle: { workflowId: string; fetchHistory(): Promise<History> },
  options: ScanOptions = {},
): Promise<HistoryScan> {
  const what = `workflow ${handle.workflowId}`;
  const scan = await scanHistory(await handle.fetchHistory(), options);
  if (scan.found !== undefined) throw new Error(`secret scan: the history of ${what} contains the API key marker`);
  if (scan.unreadable > 0)
    throw new Error(`secret scan: ${scan.unreadable} sealed payloads of ${what} open with no known key`);
  if (scan.payloads === 0) throw new Error(`secret scan: the history of ${what} has no payload to scan`);
  if (scan.sawExpected === false)
    throw new Error(`secret scan: the decoded history of ${what} does not show "${options.mustSee}"`);
  return scan;
}

/** The totals of a scan of many histories. */
export interface ServerScan {
  namespaces: string[];
  histories: number;
  events: number;
  payloads: number;
  sealed: number;
  /** `namespace/workflowId/runId` of every history holding the marker. */
  leaks: string[];
  /** ... and of every history with sealed payloads no known key opens. */
  unreadable: string[];
}

/** One workflow run. */
export interface RunRef {
  workflowId: string;
  runId: string;
}

function emptyScan(namespaces: readonly string[]): ServerScan {
  return { namespaces: [...namespaces], histories: 0, events: 0, payloads: 0, sealed: 0, leaks: [], unreadable: [] };
}

async function scanRunInto(
  total: ServerScan,
  client: Client,
  namespace: string,
  run: RunRef,
  options: ScanOptions,
): Promise<History> {
  const where = `${namespace}/${run.workflowId}/${run.runId}`;
  const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
  const scan = await scanHistory(history, options);
  total.histories += 1;
  total.events += scan.events;
  total.payloads += scan.payloads;
  total.sealed += scan.sealed;
  if (scan.found !== undefined) total.leaks.push(where);
  if (scan.unreadable > 0) total.unreadable.push(where);
  return history;
}

/**
 * Lists every workflow run in each namespace (running, closed, continued-as-new runs alike), fetches its history
 * and scans it. `clientFor` gives a client of a namespace; the caller decides what counts as enough.
 */
export async function scanServerHistories(
  clientFor: (namespace: string) => Client,
  namespaces: readonly string[],
  options: ScanOptions = {},
): Promise<ServerScan> {
  const total = emptyScan(namespaces);
  for (const namespace of namespaces) {
    const client = clientFor(namespace);
    for await (const run of client.workflow.list()) {
      await scanRunInto(total, client, namespace, run, options);
    }
  }
  return total;
}

/** The runs a history leads to: the next run (continue-as-new, retry, cron) and every child it started. */
function runsAfter(history: History, workflowId: string): RunRef[] {
  const next: RunRef[] = [];
  for (const event of history.events ?? []) {
    const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
    if (child?.workflowId && child.runId) next.push({ workflowId: child.workflowId, runId: child.runId });
    const following =
      event.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ??
      event.workflowExecutionFailedEventAttributes?.newExecutionRunId ??
      event.workflowExecutionTimedOutEventAttributes?.newExecutionRunId ??
      event.workflowExecutionCompletedEventAttributes?.newExecutionRunId;
    if (following) next.push({ workflowId, runId: following });
  }
  return next;
}

/**
 * For a server that cannot list its workflows (the time-skipping test server): scans the runs a client started
 * and every run they lead to (later runs, children, their children).
 */
export async function scanRunsFrom(
  client: Client,
  namespace: string,
  roots: readonly RunRef[],
  options: ScanOptions = {},
): Promise<ServerScan> {
  const total = emptyScan([namespace]);
  const seen = new Set<string>();
  const queue = [...roots];
  for (let run = queue.shift(); run; run = queue.shift()) {
    const key = `${run.workflowId}/${run.runId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const history = await scanRunInto(total, client, namespace, run, options);
    queue.push(...runsAfter(history, run.workflowId));
  }
  return total;
}
