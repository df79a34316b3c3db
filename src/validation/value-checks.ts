import { isDeepStrictEqual } from 'node:util';
import { lookupPath, parsePath } from './json-path';
import type { ValueCheck } from './schema';

/** Checks one expected value in a model output; returns a one-line failure, or undefined when it holds. */
export function checkValue(output: unknown, check: ValueCheck): string | undefined {
  const found = lookupPath(output, parsePath(check.path));
  if (!found.found) return `${check.path}: not found in the output (nothing at ${found.at})`;
  const actual = found.value;
  if ('equals' in check) {
    return isDeepStrictEqual(actual, check.equals)
      ? undefined
      : `${check.path}: expected ${show(check.equals)}, got ${show(actual)}`;
  }
  if ('contains' in check) {
    return contains(actual, check.contains)
      ? undefined
      : `${check.path}: expected to contain ${show(check.contains)}, got ${show(actual)}`;
  }
  if (typeof actual !== 'number') return `${check.path}: expected a number near ${check.approx}, got ${show(actual)}`;
  return Math.abs(actual - check.approx) <= check.tolerance
    ? undefined
    : `${check.path}: expected ${check.approx} ± ${check.tolerance}, got ${actual}`;
}

/**
 * A string contains a substring; an array contains an element (or, given an array, each of its elements);
 * an object contains a subset of its keys whose values match (nested objects match as subsets too).
 */
export function contains(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'string') return typeof expected === 'string' && actual.includes(expected);
  if (Array.isArray(actual)) {
    const wanted: unknown[] = Array.isArray(expected) ? expected : [expected];
    return wanted.every((w) => actual.some((a) => matches(a, w)));
  }
  if (isObject(actual) && isObject(expected)) {
    return Object.entries(expected).every(([key, value]) => Object.hasOwn(actual, key) && matches(actual[key], value));
  }
  return false;
}

function matches(actual: unknown, expected: unknown): boolean {
  return isObject(expected) ? isObject(actual) && contains(actual, expected) : isDeepStrictEqual(actual, expected);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as short JSON text for a message or report. */
export function show(value: unknown, max = 120): string {
  // JSON.stringify gives undefined for undefined (a missing value), never for parsed JSON.
  const text = (JSON.stringify(value) as string | undefined) ?? 'nothing';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
