import type { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
// Not re-exported by the package index: the key type and the enum encoding of attribute types.
import {
  encodeSearchAttributeIndexedValueType,
  type SearchAttributeKey,
} from '@temporalio/common/lib/search-attributes';
import type { NativeConnection } from '@temporalio/worker';
import { UsageError } from '../common/usage-error';
import { searchAttributes } from '../workflows/search-attributes';

type Key = SearchAttributeKey<SearchAttributeType>;

/** Either connection class: both expose the operator service. */
export type OperatorConnection = Pick<Connection, 'operatorService'> | Pick<NativeConnection, 'operatorService'>;

/** Where the attributes are looked for: a namespace on a server. */
export interface SearchAttributeTarget {
  namespace: string;
  /** host:port, for messages. */
  address: string;
}

/** The attributes the workflows use, as the server has them. */
export interface SearchAttributeState {
  existing: Key[];
  missing: Key[];
  /** Present, but with another type than the workflows use. */
  clashes: Array<{ key: Key; actual: string }>;
}

export interface SetupReport {
  created: Key[];
  existing: Key[];
}

/** The type as the Temporal CLI and UI spell it: Keyword, Text, KeywordList, ... */
export function typeName(type: string): string {
  return type
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** The operator service's enum number of a type (every SearchAttributeType has one). */
function typeCode(type: SearchAttributeType): number {
  const code = encodeSearchAttributeIndexedValueType(type);
  if (code === undefined) throw new Error(`no indexed value type for ${type}`);
  return code;
}

const typeByCode = new Map<number, SearchAttributeType>(
  Object.values(SearchAttributeType).map((type) => [typeCode(type), type]),
);

/** Reads which of `keys` the namespace has, and with which type (through the operator service). */
export async function inspectSearchAttributes(
  connection: OperatorConnection,
  target: SearchAttributeTarget,
  keys: readonly Key[] = searchAttributes,
): Promise<SearchAttributeState> {
  const response = await connection.operatorService.listSearchAttributes({ namespace: target.namespace });
  const custom = response.customAttributes ?? {};
  const state: SearchAttributeState = { existing: [], missing: [], clashes: [] };
  for (const key of keys) {
    const code = custom[key.name];
    if (code === undefined || code === null) state.missing.push(key);
    else if (typeByCode.get(code) === key.type) state.existing.push(key);
    else state.clashes.push({ key, actual: typeName(typeByCode.get(code) ?? `type ${code}`) });
  }
  return state;
}

function clashError(state: SearchAttributeState, target: SearchAttributeTarget): UsageError {
  const clashes = state.clashes
    .map(({ key, actual }) => `${key.name} exists as ${actual}, baseten-cd needs ${typeName(key.type)}`)
    .join('; ');
  return new UsageError(
    `search attribute type clash on namespace ${target.namespace} at ${target.address}: ${clashes} ` +
      '(remove or rename the clashing attribute, then run `baseten-cd setup` again)',
  );
}

/**
 * Registers every attribute the workflows use that the namespace lacks. Idempotent; a type clash is refused
 * before anything is created. Attributes someone else creates at the same time count as existing.
 */
export async function setupSearchAttributes(
  connection: OperatorConnection,
  target: SearchAttributeTarget,
  keys: readonly Key[] = searchAttributes,
): Promise<SetupReport> {
  const before = await inspectSearchAttributes(connection, target, keys);
  if (before.clashes.length > 0) throw clashError(before, target);
  if (before.missing.length === 0) return { created: [], existing: before.existing };
  try {
    await connection.operatorService.addSearchAttributes({
      namespace: target.namespace,
      searchAttributes: Object.fromEntries(before.missing.map((key) => [key.name, typeCode(key.type)])),
    });
  } catch (err) {
    if (!hasCode(err, grpcAlreadyExists)) {
      throw new Error(
        `cannot create search attributes on namespace ${target.namespace} at ${target.address}` +
          (hasCode(err, grpcPermissionDenied) || hasCode(err, grpcUnimplemented)
            ? ' (on Temporal Cloud, add them in the Cloud UI or with tcld, with the names and types `baseten-cd setup --help` lists)'
            : ''),
        { cause: err },
      );
    }
  }
  const after = await inspectSearchAttributes(connection, target, keys);
  if (after.clashes.length > 0) throw clashError(after, target);
  if (after.missing.length > 0) {
    throw new Error(`the server did not register ${after.missing.map((k) => k.name).join(', ')}`);
  }
  const existedBefore = new Set(before.existing.map((k) => k.name));
  return {
    created: after.existing.filter((k) => !existedBefore.has(k.name)),
    existing: before.existing,
  };
}

/**
 * Refuses to go on (a UsageError: one line, exit 2, nothing started) when the namespace lacks an attribute the
 * workflows use or has one with another type. Returns a warning instead when the server does not let this
 * identity read them (some Temporal Cloud roles), so a restricted key can still run releases.
 */
export async function requireSearchAttributes(
  connection: OperatorConnection,
  target: SearchAttributeTarget,
): Promise<string | undefined> {
  let state: SearchAttributeState;
  try {
    state = await inspectSearchAttributes(connection, target);
  } catch (err) {
    if (hasCode(err, grpcPermissionDenied) || hasCode(err, grpcUnimplemented)) {
      return `could not check the search attributes on namespace ${target.namespace} (${(err as Error).message}); going on`;
    }
    throw err;
  }
  if (state.clashes.length > 0) throw clashError(state, target);
  if (state.missing.length > 0) {
    const names = state.missing.map((key) => `${key.name} (${typeName(key.type)})`).join(', ');
    throw new UsageError(
      `namespace ${target.namespace} at ${target.address} lacks the search attribute(s) ${names}: run \`baseten-cd setup\` to create them`,
    );
  }
  return undefined;
}

const grpcAlreadyExists = 6;
const grpcPermissionDenied = 7;
const grpcUnimplemented = 12;

/** True when the error, or its cause, carries this gRPC status code (both connection classes set `code`). */
function hasCode(err: unknown, code: number): boolean {
  for (let current: unknown = err; current instanceof Error; current = current.cause) {
    if ((current as { code?: unknown }).code === code) return true;
  }
  return false;
}
