import { cpSync, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { invalid } from './service-error';

/** Copies a Truss into the state dir, so later edits to the original never change a deployment. */
export function copyTruss(sourceDir: string, destination: string): void {
  if (!existsSync(sourceDir) || !statSync(sourceDir).isDirectory())
    throw invalid(`trussDir ${sourceDir} is not a directory`);
  cpSync(sourceDir, destination, {
    recursive: true,
    filter: (src) => !['.git', '__pycache__', 'node_modules'].includes(path.basename(src)),
  });
}

/**
 * The `model_name` from config.yaml, when it can be read. Only a fallback for naming the model: the
 * config is validated properly during the build, where a bad one becomes BUILD_FAILED.
 */
export function peekModelName(trussDir: string): string | undefined {
  try {
    const doc: unknown = parse(readFileSync(path.join(trussDir, 'config.yaml'), 'utf8'));
    if (doc && typeof doc === 'object' && 'model_name' in doc && typeof doc.model_name === 'string')
      return doc.model_name.trim() || undefined;
  } catch {
    // A missing or unreadable config surfaces as BUILD_FAILED; here it just means "no name".
  }
  return undefined;
}
