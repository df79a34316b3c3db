import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { projectRoot } from '../../tools/paths';

/** Baseten's published truss config schema; CI checks out ../shared beside the clone. */
export const trussSchemaPath = path.join(projectRoot, '..', 'shared', 'baseten', 'truss-config.schema.json');

export interface SchemaProblem {
  /** Dotted path of the offending key, '' for the document itself. */
  keyPath: string;
  message: string;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The published schema allows extra keys (truss's pydantic models are lenient so the server can add fields),
 * but the client rejects them (`validate_forbid_extra`). The models are exactly the objects marked
 * `additionalProperties: true` in $defs, plus the root; free-form dicts such as model_metadata are not in $defs.
 */
function forbidExtraKeys(schema: JsonObject): JsonObject {
  const copy = structuredClone(schema);
  copy.additionalProperties = false;
  const defs = copy.$defs;
  if (isObject(defs)) {
    for (const def of Object.values(defs)) {
      if (isObject(def) && def.additionalProperties === true) def.additionalProperties = false;
    }
  }
  return copy;
}

let validator: ValidateFunction | undefined;

function trussValidator(): ValidateFunction {
  if (!validator) {
    const schema: unknown = JSON.parse(readFileSync(trussSchemaPath, 'utf8'));
    if (!isObject(schema)) throw new Error(`${trussSchemaPath}: not a JSON Schema object`);
    // Not strict: the generated schema carries pydantic annotations Ajv does not know.
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(forbidExtraKeys(schema));
  }
  return validator;
}

function dotted(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

/** One message for all of Ajv's complaints about one key (anyOf branches report one error each). */
function describe(errors: ErrorObject[]): string {
  const types = errors.filter((e) => e.keyword === 'type').map((e) => String(e.params.type));
  if (types.length > 0) return `must be ${types.join(' or ')}`;
  const allowed = errors.flatMap((e) => {
    if (e.keyword === 'const') return [JSON.stringify(e.params.allowedValue)];
    if (e.keyword === 'enum') return (e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
    return [];
  });
  if (allowed.length > 0) return `must be one of ${allowed.join(', ')}`;
  return errors[0]?.message ?? 'is invalid';
}

/** Checks a parsed config.yaml against truss's schema; returns the first problem, or undefined when valid. */
export function checkTrussSchema(document: unknown): SchemaProblem | undefined {
  const validate = trussValidator();
  if (validate(document)) return undefined;
  const errors = validate.errors ?? [];
  if (errors.length === 0) return { keyPath: '', message: 'is invalid' };
  const extra = errors.find((e) => e.keyword === 'additionalProperties');
  if (extra) {
    const key = String(extra.params.additionalProperty);
    const keyPath = [dotted(extra.instancePath), key].filter(Boolean).join('.');
    return { keyPath, message: 'unknown key (truss allows only the keys in its config schema)' };
  }
  // Report the deepest path: it names the key at fault rather than the anyOf/oneOf around it.
  const deepest = errors.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a));
  const atPath = errors.filter((e) => e.instancePath === deepest.instancePath);
  return { keyPath: dotted(deepest.instancePath), message: describe(atPath) };
}
