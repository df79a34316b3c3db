import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../tools/paths';

/** A JSON Schema object as it appears in the OpenAPI document. */
export type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, unknown>;
  components: { schemas: Record<string, JsonSchema> };
}

/** Baseten's official management OpenAPI, kept beside the clone (CI checks out ../shared next to it). */
export const managementSpecPath = path.join(projectRoot, '..', 'shared', 'baseten', 'management-openapi.json');

const loaded = new Map<string, OpenApiDocument>();

/** Reads and caches the management OpenAPI document. */
export function loadManagementSpec(file: string = managementSpecPath): OpenApiDocument {
  let spec = loaded.get(file);
  if (!spec) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(`Cannot read Baseten's management OpenAPI at ${file}: ${(err as Error).message}`);
    }
    spec = JSON.parse(text) as OpenApiDocument;
    if (typeof spec.components?.schemas !== 'object')
      throw new Error(`${file} is not an OpenAPI document with components.schemas`);
    loaded.set(file, spec);
  }
  return spec;
}

/**
 * The component schema `name` (e.g. `DeploymentV1`) with every `#/components/schemas/...` reference inlined,
 * so it can be compiled or walked on its own.
 */
export function componentSchema(name: string, spec: OpenApiDocument = loadManagementSpec()): JsonSchema {
  return inline(lookup(spec, name), spec, [name]) as JsonSchema;
}

function lookup(spec: OpenApiDocument, name: string): JsonSchema {
  const schema = spec.components.schemas[name];
  if (!schema) throw new Error(`No component schema named ${name} in the management OpenAPI`);
  return schema;
}

function inline(node: unknown, spec: OpenApiDocument, trail: string[]): unknown {
  if (Array.isArray(node)) return node.map((item) => inline(item, spec, trail));
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Record<string, unknown>;
  const ref = record.$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    // Inlining a self-referencing schema would never end; none of Baseten's components does this today.
    if (trail.includes(name)) throw new Error(`Schema ${trail.join(' > ')} refers back to ${name}`);
    const { $ref: _ref, ...siblings } = record;
    return {
      ...(inline(lookup(spec, name), spec, [...trail, name]) as JsonSchema),
      ...(inline(siblings, spec, trail) as JsonSchema),
    };
  }
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, inline(value, spec, trail)]));
}
