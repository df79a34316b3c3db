import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { RecordedResponse } from '../../../src/emulator/options';
import { projectRoot } from '../../../src/tools/paths';
import type { TestEmulator } from '../../support/emulator';

/** A JSON Schema as the spec writes it (only what the tests read). */
export interface SpecSchema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  anyOf?: SpecSchema[];
  oneOf?: SpecSchema[];
  properties?: Record<string, SpecSchema>;
  required?: string[];
  items?: SpecSchema;
  examples?: unknown[];
}
export interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: SpecSchema }>;
  requestBody?: { content?: Record<string, { schema?: SpecSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, SpecSchema> };
}

const specFile = path.join(projectRoot, '..', 'shared', 'baseten', 'management-openapi.json');
/** The official management OpenAPI (../shared/baseten). */
export const spec = JSON.parse(readFileSync(specFile, 'utf8')) as Spec;

const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
ajv.addSchema(spec, 'spec');

const compiled = new Map<string, ValidateFunction>();
/** `pointer` is a JSON pointer into `paths`; the spec's own refs (`#/components/...`) resolve inside `spec`. */
function validatorFor(pointer: string): ValidateFunction {
  let validate = compiled.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `spec#/paths/${pointer}` });
    compiled.set(pointer, validate);
  }
  return validate;
}

/**
 * Endpoints the emulator serves that this spec copy (baseten-go, 2026-07) lacks but Baseten's newer spec
 * documents (reference notes §1.3): their bodies are checked against the shapes documented there.
 */
const newerEndpoints: Array<{ method: string; template: string; schema: object }> = [
  {
    method: 'patch',
    template: '/v1/models/{model_id}/deployments/{deployment_id}',
    schema: { $ref: 'spec#/components/schemas/DeploymentV1' },
  },
  {
    method: 'delete',
    template: '/v1/models/{model_id}/environments/{env_name}',
    schema: {
      type: 'object',
      required: ['name', 'model_id', 'deleted'],
      properties: { name: { type: 'string' }, model_id: { type: 'string' }, deleted: { type: 'boolean' } },
    },
  },
];

function templateRegex(template: string): RegExp {
  return new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
}

const templates = Object.keys(spec.paths)
  .map((t) => ({ template: t, regex: templateRegex(t), params: (t.match(/\{/g) ?? []).length }))
  .sort((a, b) => a.params - b.params);

const pointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

/** Problems with one recorded management response, measured against the official spec. */
export function conformanceProblems(r: RecordedResponse): string[] {
  const method = r.method.toLowerCase();
  const where = `${r.method} ${r.path} → ${r.status}`;
  if (r.status >= 400) {
    // The spec declares no error responses; Baseten's documented error bodies carry `error`.
    const body = r.body as Record<string, unknown> | undefined;
    if (!body || typeof body.error !== 'string')
      return [`${where}: error body without "error": ${JSON.stringify(r.body)}`];
    if (r.status === 429 && typeof body.retry_after !== 'number') return [`${where}: 429 without retry_after`];
    if (r.status !== 429 && typeof body.message !== 'string') return [`${where}: error body without "message"`];
    return [];
  }
  const match = templates.find((t) => t.regex.test(r.path) && spec.paths[t.template]?.[method]);
  if (!match) {
    const newer = newerEndpoints.find((e) => e.method === method && templateRegex(e.template).test(r.path));
    if (!newer) return [`${where}: no such operation in the spec`];
    const validate = ajv.compile(newer.schema);
    return validate(r.body) ? [] : [`${where}: ${ajv.errorsText(validate.errors)}`];
  }
  const responses = spec.paths[match.template]?.[method]?.responses ?? {};
  if (!responses[String(r.status)])
    return [`${where}: status not declared for ${method.toUpperCase()} ${match.template}`];
  const schemaPath = `${pointer(match.template)}/${method}/responses/${r.status}/content/application~1json/schema`;
  const validate = validatorFor(schemaPath);
  return validate(r.body) ? [] : [`${where}: ${ajv.errorsText(validate.errors)}`];
}

/** Asserts every recorded management response conforms (called at the end of each emulator test file). */
export function expectConformingResponses(responses: RecordedResponse[]): void {
  const problems = responses.flatMap(conformanceProblems);
  expect(problems).toEqual([]);
}

/** Ends a test file's emulator: asserts every management response it gave conforms, and closes it either way. */
export async function closeConforming(t: TestEmulator | undefined): Promise<void> {
  if (!t) return; // beforeAll failed, and its error is the one to read
  try {
    expectConformingResponses(t.responses);
  } finally {
    await t.close();
  }
}
