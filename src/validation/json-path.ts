/** One step into a JSON value: an object key or an array index. */
export type PathSegment = string | number;

// A key is a run of characters other than `.`, `[` and `]`; `[n]` is an index; `["k"]` is a quoted key.
const TOKEN = /^(?:\.?([^.[\]"]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\])/;

/**
 * Parses `label`, `items[0].score`, `meta["x.y"]`; `$` alone (or a leading `$.`) is the whole output.
 * Throws an Error saying what is wrong with the path.
 */
export function parsePath(path: string): PathSegment[] {
  let rest = path.trim();
  if (rest === '$') return [];
  if (rest.startsWith('$.') || rest.startsWith('$[')) rest = rest.slice(1);
  if (rest === '') throw new Error('empty path (use $ for the whole output)');
  const segments: PathSegment[] = [];
  let first = true;
  while (rest.length > 0) {
    const match = TOKEN.exec(rest);
    // A bare key needs a leading dot except at the very start.
    if (!match || (match[1] !== undefined && !first && !match[0].startsWith('.'))) {
      throw new Error(`cannot read path "${path}" at "${rest}" (use keys and [index], e.g. items[0].score)`);
    }
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(`"${match[3] ?? ''}"`) as string);
    rest = rest.slice(match[0].length);
    first = false;
  }
  return segments;
}

export type Lookup = { found: true; value: unknown } | { found: false; at: string };

/** Follows a parsed path into a JSON value; says where it stopped when something is missing. */
export function lookupPath(root: unknown, segments: readonly PathSegment[]): Lookup {
  let value: unknown = root;
  let walked = '$';
  for (const segment of segments) {
    const step = typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
    if (typeof segment === 'number') {
      if (!Array.isArray(value) || segment >= value.length) return { found: false, at: walked + step };
      value = value[segment] as unknown;
    } else {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, segment)) {
        return { found: false, at: walked + step };
      }
      value = (value as Record<string, unknown>)[segment];
    }
    walked += step;
  }
  return { found: true, value };
}
