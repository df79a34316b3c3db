import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../../../src/tools/paths';

const created: string[] = [];

/** A fresh temp dir, removed by removeTempDirs(). */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `baseten-cd-${prefix}-`));
  created.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export function examplePath(name: string): string {
  return path.join(projectRoot, 'examples', name);
}

/** A private copy of an example, for tests that change it. */
export async function copyExample(name: string): Promise<string> {
  const dir = path.join(await tempDir(name), name);
  await cp(examplePath(name), dir, { recursive: true });
  return dir;
}

/** Writes a Truss from file contents keyed by relative path (config.yaml, model/model.py, ...). */
export async function writeTruss(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('truss');
  for (const [relative, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
    await writeFile(path.join(dir, relative), content);
  }
  return dir;
}

/** Polls `condition` until it is true, failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** True while a process with this pid exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
