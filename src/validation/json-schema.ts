import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// strictSchema catches typos such as `require:` for `required:`; the type/tuple strictness only logs noise.
const ajv = new Ajv({ allErrors: true, strictSchema: true, strictTypes: false, strictTuples: false });
addFormats(ajv);

// Ajv caches by object identity; specs are re-created from JSON per run, so cache by their text.
const compiled = new Map<string, ValidateFunction>();

/** Compiles a JSON Schema once per distinct text; throws Ajv's error when the schema itself is invalid. */
export function compileJsonSchema(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  return validate;
}

/** Ajv's errors as one line, e.g. `/label must be equal to one of the allowed values`. */
export function describeSchemaErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`).join('; ');
}
