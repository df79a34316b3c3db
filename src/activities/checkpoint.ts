import { activityInfo } from '@temporalio/activity';
import type { z } from 'zod';

/**
 * What the previous attempt of this activity recorded in its last heartbeat, parsed with `schema`, or undefined
 * (first attempt, or details of another shape). A retried attempt resumes from it instead of starting over: a
 * wait keeps its deadline, a smoke test its attempt count.
 */
export function lastCheckpoint<S extends z.ZodType>(schema: S): z.output<S> | undefined {
  const parsed = schema.safeParse(activityInfo().heartbeatDetails);
  return parsed.success ? parsed.data : undefined;
}
