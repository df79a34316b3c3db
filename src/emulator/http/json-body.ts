import type { z } from 'zod';
import type { EmulatorRequest } from './request';

/** Why a body or query was rejected, as one line naming the offending fields. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
}

/**
 * Reads and validates a JSON body. An empty body counts as `{}` because Baseten's clients post
 * promote/activate with no body at all.
 */
export async function parseJsonBody<S extends z.ZodType>(req: EmulatorRequest, schema: S): Promise<z.output<S>> {
  const text = (await req.body()).toString('utf8').trim();
  let value: unknown = {};
  if (text) {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new InvalidInputError(`Malformed JSON body: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return parseWith(schema, value, 'body');
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const at = issue.path.length ? issue.path.map(String).join('.') : where;
    return `${at}: ${issue.message}`;
  });
  throw new InvalidInputError(`Invalid request ${where}: ${problems.join('; ')}`);
}
