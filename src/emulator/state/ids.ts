import { randomBytes } from 'node:crypto';

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Baseten-like ids: 7-8 lowercase alphanumerics starting with a letter (e.g. `abc1d2ef`). */
export function newId(length: 7 | 8 = 8): string {
  const bytes = randomBytes(length);
  let id = alphabet[(bytes[0] as number) % 26] as string;
  for (let i = 1; i < length; i++) id += alphabet[(bytes[i] as number) % alphabet.length];
  return id;
}
