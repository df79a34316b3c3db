import type { History } from '@temporalio/common/lib/proto-utils';

// Histories are saved in our own plain JSON form: the SDK's historyToJSON/historyFromJSON fail in this
// install ("type must be a Type": @temporalio/common and @temporalio/proto bundle different protobufjs
// majors). Numbers stay numbers (every 64-bit field in a history fits a double), enums stay numeric and
// bytes become {"$bytes": base64}, so loading is a plain JSON.parse with one reviver.

function isLong(value: object): value is { toNumber(): number } {
  return 'low' in value && 'high' in value && typeof (value as { toNumber?: unknown }).toNumber === 'function';
}

function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value !== 'object' || value === null) return value;
  if (isLong(value)) return value.toNumber();
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== null && item !== undefined) out[key] = plain(item);
  return out;
}

export function historyToFile(history: History): string {
  return `${JSON.stringify(plain(history), null, 1)}\n`;
}

export function historyFromFile(text: string): History {
  return JSON.parse(text, (_key, value: unknown) =>
    typeof value === 'object' && value !== null && '$bytes' in value && typeof value.$bytes === 'string'
      ? new Uint8Array(Buffer.from(value.$bytes, 'base64'))
      : value,
  ) as History;
}
