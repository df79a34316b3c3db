/**
 * Any error as one line for a terminal or a CI log: its message, then each cause whose message adds something,
 * joined with ': '. Never a stack trace or a multi-line object dump (the error's own name is left out too:
 * the message says what went wrong).
 */
export function errorLine(err: unknown, maxLength = 600): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const text = oneLine(messageOf(current));
    if (text && !parts.some((part) => part.includes(text))) parts.push(text);
    current = current instanceof Error ? current.cause : undefined;
  }
  const line = parts.join(': ') || 'unknown error';
  return line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line;
}

function messageOf(value: unknown): string {
  if (value instanceof Error) {
    // Node's AggregateError (e.g. a refused connection tried over IPv4 and IPv6) has an empty message.
    if (!value.message && value instanceof AggregateError) {
      return value.errors.map((inner: unknown) => messageOf(inner)).join('; ');
    }
    return value.message || value.name;
  }
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
