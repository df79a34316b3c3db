import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../src/tools/paths';

/** Copies examples/<name> to `target` (the example stays untouched), rewriting its config.yaml with `edit`. */
export async function copyExample(name: string, target: string, edit?: (config: string) => string): Promise<string> {
  await cp(path.join(projectRoot, 'examples', name), target, { recursive: true });
  if (edit) await editConfig(target, edit);
  return target;
}

export async function editConfig(trussDir: string, edit: (config: string) => string): Promise<void> {
  const config = path.join(trussDir, 'config.yaml');
  const before = await readFile(config, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error(`${config}: the bench's edit changed nothing (has the example changed?)`);
  await writeFile(config, after);
}
