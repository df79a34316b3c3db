import fc from 'fast-check';
import { spec, type Operation, type SpecSchema } from './openapi';

/** One management operation from the spec. */
export interface SpecOperation {
  method: string;
  /** The spec's path template, `/v1/models/{model_id}/...`. */
  template: string;
  operation: Operation;
}

/** A request to send: path and query already encoded. */
export interface BadRequest {
  method: string;
  path: string;
  query: string;
  /** The raw body text, if any. */
  body?: string;
  contentType?: string;
}

/** Every operation of the spec. */
export function specOperations(): SpecOperation[] {
  return Object.entries(spec.paths).flatMap(([template, methods]) =>
    Object.entries(methods)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, operation]) => ({ method: method.toUpperCase(), template, operation })),
  );
}

function resolve(schema: SpecSchema): SpecSchema {
  const name = schema.$ref?.replace('#/components/schemas/', '');
  return name ? (spec.components.schemas[name] ?? {}) : schema;
}

const hugeString = fc.integer({ min: 10_000, max: 300_000 }).map((n) => 'x'.repeat(n));
const edgeNumbers = fc.constantFrom(-1, -0.5, 0.5, 1.5, -1e308, 1e308, 2 ** 53 + 2, -(2 ** 63), 1e-300, 0);
const oddStrings = fc.constantFrom('', ' ', '\u0000', '\u202e', '💥', '../..', '%00', 'null', '<script>', "'--");

/** Any JSON value of the wrong kind for a field: nulls, huge strings, edge numbers, containers. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  edgeNumbers,
  oddStrings,
  hugeString,
  fc.constant([]),
  fc.constant({}),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Values for a schema: mostly plausible (so validation goes deep), sometimes of the wrong kind. */
export function valueFor(schema: SpecSchema, idPool: readonly string[], depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (depth > 3) return fc.constant(null);
  const variants = s.anyOf ?? s.oneOf;
  let plausible: fc.Arbitrary<unknown>;
  if (variants) plausible = fc.oneof(...variants.map((v) => valueFor(v, idPool, depth + 1)));
  else if (s.enum?.length) plausible = fc.oneof(fc.constantFrom(...s.enum), fc.string({ maxLength: 12 }));
  else if (s.type === 'object') plausible = objectFor(s, idPool, depth);
  else if (s.type === 'array')
    plausible = fc.array(s.items ? valueFor(s.items, idPool, depth + 1) : wrongValue, { maxLength: 4 });
  else if (s.type === 'string') plausible = fc.oneof(fc.constantFrom(...idPool), fc.string({ maxLength: 24 }));
  else if (s.type === 'integer' || s.type === 'number')
    plausible = fc.oneof(fc.integer({ min: -10, max: 5000 }), edgeNumbers, fc.double({ noNaN: true }));
  else if (s.type === 'boolean') plausible = fc.boolean();
  else if (s.type === 'null') plausible = fc.constant(null);
  else plausible = fc.jsonValue({ maxDepth: 2 });
  if (s.examples?.length) plausible = fc.oneof(plausible, fc.constantFrom(...s.examples));
  return fc.oneof({ weight: 4, arbitrary: plausible }, { weight: 1, arbitrary: wrongValue });
}

/** An object for a schema: its fields with required ones sometimes missing, plus extra or prototype-ish keys. */
function objectFor(schema: SpecSchema, idPool: readonly string[], depth: number): fc.Arbitrary<unknown> {
  const fields = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([name, field]) => [name, valueFor(field, idPool, depth + 1)]),
  );
  const required = (schema.required ?? []).filter((name) => name in fields);
  const extras = fc.dictionary(
    fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'extra_field'), fc.string({ maxLength: 10 })),
    wrongValue,
    { maxKeys: 2 },
  );
  return fc
    .tuple(
      fc.oneof(fc.record(fields, { requiredKeys: required }), fc.record(fields, { requiredKeys: [] })),
      fc.option(extras, { freq: 3 }),
    )
    .map(([record, extra]) => (extra ? { ...record, ...extra } : record));
}

/** Ids that are not any: encoded characters, path tricks, unicode, very long. Each is a raw path segment. */
const weirdId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '%2F',
    '%00',
    '%ZZ',
    '%',
    '..',
    '.',
    '%2e%2e',
    '%20',
    'null',
    '__proto__',
    'constructor',
    '-1',
    '1e309',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encodeURIComponent),
  fc.integer({ min: 200, max: 20_000 }).map((n) => 'z'.repeat(n)),
);

/** A path for the template: each parameter a real id (so the handler goes deep) or a weird one. */
function pathFor(op: SpecOperation, ids: Record<string, readonly string[]>): fc.Arbitrary<string> {
  const parts = op.template.split(/(\{[^}]+\})/).filter((p) => p.length > 0);
  return fc
    .tuple(
      ...parts.map((part) => {
        const name = /^\{(.+)\}$/.exec(part)?.[1];
        if (!name) return fc.constant(part);
        const known = ids[name] ?? [];
        // DELETE never names the fixture itself, so the run keeps the state it needs to reach deep validation.
        if (known.length === 0 || op.method === 'DELETE') return weirdId;
        return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 2, arbitrary: weirdId });
      }),
    )
    .map((segments) => segments.join(''));
}

const queryValue = fc.oneof(
  fc.integer({ min: -5, max: 2000 }).map(String),
  fc.constantFrom('', '-1', '1.5', '1e400', 'NaN', 'abc', 'true', 'null', '%ZZ', 'desc', 'asc', 'ERROR', '[]'),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.integer({ min: 1000, max: 4000 }).map((n) => '9'.repeat(n)),
);

/** Query strings: the operation's own parameters with bad values, repeated, plus unknown ones. */
function queryFor(op: SpecOperation): fc.Arbitrary<string> {
  const names = (op.operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  const name = names.length
    ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, fc.constantFrom('unknown', 'limit[]', '%ZZ'))
    : fc.constantFrom('unknown', 'name', '%ZZ');
  return fc
    .array(fc.tuple(name, queryValue), { maxLength: 4 })
    .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
}

/** Bodies: none, not JSON, JSON of the wrong kind, or shaped after the spec's request schema with mistakes. */
function bodyFor(op: SpecOperation, idPool: readonly string[]): fc.Arbitrary<string | undefined> {
  const schema = op.operation.requestBody?.content?.['application/json']?.schema;
  const notJson = fc.oneof(
    fc.constantFrom('{', '{"a":', 'nul', "{'single': 1}", '[1,]', '\u0000', '{"a":1}{"b":2}', '1'.repeat(400) + 'e'),
    fc.string({ maxLength: 40 }).filter((text) => !isJson(text)),
  );
  const wrongKind = fc.oneof(fc.constantFrom(null, 0, -1.5, 'text', true, []), fc.jsonValue({ maxDepth: 3 }));
  const deepNesting = fc.integer({ min: 100, max: 5000 }).map((n) => '['.repeat(n) + ']'.repeat(n));
  const shaped = schema ? [{ weight: 5, arbitrary: valueFor(schema, idPool).map((v) => JSON.stringify(v)) }] : [];
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: notJson },
    { weight: 1, arbitrary: wrongKind.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: deepNesting },
    ...shaped,
  );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Requests over the given operations. `ids` maps a path parameter name (`model_id`, `env_name`, ...) to real
 * values of the fixture; every other parameter, and a share of these, gets a weird id instead.
 */
export function badRequests(
  operations: readonly SpecOperation[],
  ids: Record<string, readonly string[]>,
): fc.Arbitrary<BadRequest> {
  const idPool = Object.values(ids).flat();
  return fc.constantFrom(...operations).chain((op) =>
    fc
      .record({
        // Now and then a method the path does not serve, so the router's 405/404 answers are exercised too.
        method: fc.oneof(
          { weight: 9, arbitrary: fc.constant(op.method) },
          { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') },
        ),
        path: pathFor(op, ids),
        query: fc.oneof({ weight: 2, arbitrary: fc.constant('') }, { weight: 1, arbitrary: queryFor(op) }),
        body: bodyFor(op, idPool),
        contentType: fc.constantFrom('application/json', 'application/json', 'text/plain', undefined),
      })
      .map((r) => (r.method === 'GET' ? { ...r, body: undefined } : r)),
  );
}
