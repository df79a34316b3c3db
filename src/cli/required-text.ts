import { UsageError } from '../common/usage-error';

/** A flag whose text must say something (`--reason ''` is refused before anything connects). */
export function requiredText(flag: string, value: string | undefined): string {
  const text = value?.trim() ?? '';
  if (!text) throw new UsageError(`${flag}: must not be empty (say why)`);
  return text;
}
