/**
 * The truss CLI builds its GraphQL documents by string interpolation: every operation has exactly
 * one root field, and its arguments are literals (strings, booleans, numbers, enum names) or
 * `$variables`. So a full GraphQL parser is not needed; this reads the root field and its arguments.
 */

export type GraphqlValue = string | number | boolean | null;

export interface GraphqlOperation {
  /** The root field, e.g. `create_model_from_truss`. */
  field: string;
  args: Record<string, GraphqlValue>;
}

export class GraphqlSyntaxError extends Error {
  override readonly name = 'GraphqlSyntaxError';
}

const header = /^\s*(?:(?:query|mutation)\b[^{]*)?\{\s*([A-Za-z_]\w*)\s*/;

/** Parses the root field and its arguments; `$name` arguments are resolved from `variables`. */
export function parseOperation(query: string, variables: Record<string, unknown> = {}): GraphqlOperation {
  const match = header.exec(query);
  if (!match?.[1]) throw new GraphqlSyntaxError('expected `{ field ... }` or `query|mutation { field ... }`');
  const field = match[1];
  const rest = query.slice(match[0].length);
  const args = rest.startsWith('(') ? readArguments(rest.slice(1), variables) : {};
  return { field, args };
}

function readArguments(text: string, variables: Record<string, unknown>): Record<string, GraphqlValue> {
  const args: Record<string, GraphqlValue> = {};
  let i = 0;
  const skipSeparators = (): void => {
    while (i < text.length && /[\s,]/.test(text.charAt(i))) i++;
  };
  for (;;) {
    skipSeparators();
    if (i >= text.length) throw new GraphqlSyntaxError('unterminated argument list');
    if (text.charAt(i) === ')') return args;
    const name = /^[A-Za-z_]\w*/.exec(text.slice(i))?.[0];
    if (!name) throw new GraphqlSyntaxError(`expected an argument name at "${text.slice(i, i + 20)}"`);
    i += name.length;
    skipSeparators();
    if (text.charAt(i) !== ':') throw new GraphqlSyntaxError(`expected ":" after argument ${name}`);
    i++;
    skipSeparators();
    const [value, length] = readValue(text.slice(i), name, variables);
    args[name] = value;
    i += length;
  }
}

function readValue(text: string, name: string, variables: Record<string, unknown>): [GraphqlValue, number] {
  if (text.startsWith('"')) {
    const literal = /^"(?:[^"\\]|\\.)*"/.exec(text)?.[0];
    if (!literal) throw new GraphqlSyntaxError(`unterminated string for argument ${name}`);
    return [JSON.parse(literal) as string, literal.length];
  }
  const token = /^\$?[\w.+-]+/.exec(text)?.[0];
  if (!token) throw new GraphqlSyntaxError(`expected a value for argument ${name}`);
  return [literalValue(token, variables), token.length];
}

function literalValue(token: string, variables: Record<string, unknown>): GraphqlValue {
  if (token.startsWith('$')) {
    const value = variables[token.slice(1)];
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
  }
  if (token === 'true' || token === 'false') return token === 'true';
  if (token === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  return token; // an enum value such as BASETEN
}

/** A string argument, or undefined when absent or not a string. */
export function stringArg(op: GraphqlOperation, name: string): string | undefined {
  const value = op.args[name];
  return typeof value === 'string' ? value : undefined;
}
