import type { History } from '@temporalio/common/lib/proto-utils';

/** The attempt number of every started `activityType` in a history, in order (2 or more: it was retried). */
export function activityAttempts(history: History, activityType: string): number[] {
  const events = history.events ?? [];
  const scheduled = new Set(
    events
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activityType)
      .map((e) => Number(e.eventId)),
  );
  return events
    .filter((e) => scheduled.has(Number(e.activityTaskStartedEventAttributes?.scheduledEventId)))
    .map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0);
}
