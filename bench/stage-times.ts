import { defaultPayloadConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import { stageAttribute } from '../src/workflows/search-attributes';

type HistoryEvent = NonNullable<History['events']>[number];

/** How long a release spent in each stage, and in all, by the server's clock. */
export interface StageTimes {
  totalMs: number;
  /** Stage name → time spent in it (a stage entered twice counts both times). */
  stages: Map<string, number>;
}

export function eventMs(event: HistoryEvent): number | undefined {
  const ts = event.eventTime;
  if (!ts) return undefined;
  const seconds =
    ts.seconds === null || ts.seconds === undefined
      ? 0
      : typeof ts.seconds === 'number'
        ? ts.seconds
        : ts.seconds.toNumber();
  return seconds * 1000 + (ts.nanos ?? 0) / 1e6;
}

function stageOf(event: HistoryEvent): string | undefined {
  const payload =
    event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.[stageAttribute.name];
  if (!payload) return undefined;
  const value = defaultPayloadConverter.fromPayload<unknown>(payload);
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads the stage timeline from a closed release's history: the workflow upserts the BasetenStage search
 * attribute each time it enters a stage, and each upsert event carries the server's timestamp. A stage lasts
 * until the next upsert, the last one until the workflow closed.
 */
export function stageTimes(history: History): StageTimes {
  const events = history.events ?? [];
  const first = events[0];
  const last = events[events.length - 1];
  const startMs = first ? eventMs(first) : undefined;
  const endMs = last ? eventMs(last) : undefined;
  if (startMs === undefined || endMs === undefined) throw new Error('release history has no timestamps');

  // The release is `pushing` from its start; the first upsert (in the first workflow task) just says so.
  const changes: Array<{ stage: string; at: number }> = [{ stage: 'pushing', at: startMs }];
  for (const event of events) {
    const stage = stageOf(event);
    const at = eventMs(event);
    if (stage === undefined || at === undefined) continue;
    if (changes[changes.length - 1]?.stage !== stage) changes.push({ stage, at });
  }
  const stages = new Map<string, number>();
  changes.forEach((change, i) => {
    const until = changes[i + 1]?.at ?? endMs;
    stages.set(change.stage, (stages.get(change.stage) ?? 0) + (until - change.at));
  });
  return { totalMs: endMs - startMs, stages };
}
