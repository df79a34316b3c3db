import type { z } from 'zod';
import { ResponseValidationError } from './errors';

/** A response body as JSON when it is JSON, else as its text. */
export function parseBodyText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Issues named in a message; the rest stay on `error.issues`. */
const maxIssuesShown = 3;

/**
 * Parses a 2xx body against the API schema. A body that is not JSON, or that breaks the schema, becomes a
 * `ResponseValidationError` naming the call and each offending field, never a crash deeper in the caller.
 */
export function parseResponse<S extends z.ZodType>(call: string, where: string, text: string, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (err) {
    const excerpt = text.length > 80 ? `${text.slice(0, 80)}...` : text;
    throw new ResponseValidationError(
      `Baseten's response to ${call} (${where}) is not JSON: ${(err as Error).message}; body starts ${JSON.stringify(excerpt)}`,
      call,
      [],
      text,
      { cause: err },
    );
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const { issues } = parsed.error;
  const shown = issues.slice(0, maxIssuesShown).map((issue) => describeIssue(issue, json));
  const more = issues.length > maxIssuesShown ? `; and ${issues.length - maxIssuesShown} more` : '';
  throw new ResponseValidationError(
    `Baseten's response to ${call} (${where}) does not match the API schema: ${shown.join('; ')}${more}`,
    call,
    issues,
    json,
  );
}

function describeIssue(issue: z.core.$ZodIssue, json: unknown): string {
  const path = issue.path.length ? issue.path.map(String).join('.') : '(body)';
  const got = valueAt(json, issue.path);
  const shown = got === undefined ? 'missing' : JSON.stringify(got);
  return `${path}: ${issue.message} (got ${shown && shown.length > 60 ? `${shown.slice(0, 60)}...` : shown})`;
}

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let value = json;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
