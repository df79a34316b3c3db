import type { JsonSchema } from '../../../src/baseten/spec';

export interface SampleOptions {
  /** Include properties the schema does not require. */
  optional: boolean;
  /** For `anyOf [X, null]`, pick null instead of X. */
  preferNull: boolean;
}

/**
 * A value that conforms to an (already dereferenced) OpenAPI schema: an example when the spec gives one,
 * else the first enum value, else a plain value of the declared type.
 */
export function sampleFromSchema(schema: JsonSchema, options: SampleOptions): unknown {
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0] as unknown;
  if (Array.isArray(schema.enum)) return schema.enum[0] as unknown;
  if (Array.isArray(schema.anyOf)) {
    const branches = schema.anyOf as JsonSchema[];
    const isNull = (branch: JsonSchema) => branch.type === 'null';
    const chosen = (options.preferNull ? branches.find(isNull) : undefined) ?? branches.find((b) => !isNull(b));
    return chosen ? sampleFromSchema(chosen, options) : null;
  }
  switch (schema.type) {
    case 'object':
      return sampleObject(schema, options);
    case 'array':
      return [sampleFromSchema((schema.items ?? {}) as JsonSchema, options)];
    case 'string':
      return schema.format === 'date-time' ? '2026-08-01T12:00:00Z' : 'sample';
    case 'integer':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'number':
      return 1.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}

function sampleObject(schema: JsonSchema, options: SampleOptions): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const sample: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(properties)) {
    if (options.optional || required.has(key)) sample[key] = sampleFromSchema(property, options);
  }
  return sample;
}
