import { compileJsonSchema, describeSchemaErrors } from './json-schema';
import type { ValidationCase } from './schema';
import { checkValue } from './value-checks';

/** Every way a response misses a case's expectations, one line each; empty when it meets them all. */
export function checkResponse(expect: ValidationCase['expect'], response: { status: number; body: unknown }): string[] {
  // An unexpected status means the body is something else (an error page); checking its shape says nothing more.
  if (response.status !== expect.status) return [`status ${response.status}, expected ${expect.status}`];
  const failures: string[] = [];
  if (expect.schema) {
    const validate = compileJsonSchema(expect.schema);
    if (!validate(response.body)) failures.push(`output does not match the schema: ${describeSchemaErrors(validate)}`);
  }
  for (const check of expect.values) {
    const failure = checkValue(response.body, check);
    if (failure) failures.push(failure);
  }
  return failures;
}
