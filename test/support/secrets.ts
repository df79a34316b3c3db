import { randomBytes } from 'node:crypto';

/**
 * The fixed, recognisable part of every Baseten API key the tests hand out (emulators, workers, the CLI's
 * environment). Scans look for it, not for one key, so a key of any test found anywhere is caught.
 */
export const secretMarker = 'NEVER-IN-TEMPORAL';

/** An API key carrying the marker: `NEVER-IN-TEMPORAL-<label>-<random>`. */
export function testApiKey(label = 'key'): string {
  return `${secretMarker}-${label}-${randomBytes(6).toString('hex')}`;
}

/**
 * What the marker looks like in text: itself, and base64 (standard and URL-safe) at each of the three byte
 * alignments, so a key that was encoded on its way somewhere is found too.
 */
function needlesFor(marker: string): string[] {
  const forms = new Set([marker]);
  for (let offset = 0; offset < 3; offset++) {
    const bytes = Buffer.concat([Buffer.alloc(offset), Buffer.from(marker)]);
    // Only the base64 groups made of marker bytes alone do not depend on what surrounds it.
    const start = offset === 0 ? 0 : 4;
    const end = Math.floor(bytes.length / 3) * 4;
    const encoded = bytes.toString('base64').slice(start, end);
    forms.add(encoded);
    forms.add(encoded.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return [...forms];
}

const markerNeedles = needlesFor(secretMarker);

/** The form of the marker (or of `needle`) found in `text`, if any. */
export function secretIn(text: string, needle: string = secretMarker): string | undefined {
  const needles = needle === secretMarker ? markerNeedles : needlesFor(needle);
  return needles.find((form) => text.includes(form));
}

/**
 * Throws when `text` holds the marker (in any form), and when it is empty: a scan must prove it saw something.
 * `what` names the text in the message (a CLI run, a worker's log).
 */
export function assertNoSecretIn(what: string, text: string): void {
  if (text.length === 0) throw new Error(`secret scan of ${what}: nothing to scan (the text is empty)`);
  const found = secretIn(text);
  if (found === undefined) return;
  const at = text.indexOf(found);
  const excerpt = text.slice(Math.max(0, at - 120), at + found.length + 40).replace(/\s+/g, ' ');
  throw new Error(`secret scan: ${what} contains the test API key marker (as "${found}"): …${excerpt}…`);
}
