import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { projectRoot } from '../../src/tools/paths';

const cli = path.join(projectRoot, 'bin', 'baseten-cd.js');
/** A release on this 2-core machine takes well under a minute; this only guards against a hang. */
const commandTimeoutMs = 5 * 60_000;

/** Runs `baseten-cd <args> --json` as CI would, streaming its progress (stderr); returns its exit code and result. */
export async function baseten<T>(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; result: T }> {
  console.log(`  $ baseten-cd ${args.join(' ')}`);
  // `--` ends Node's own options: everything after the script is baseten-cd's.
  const child = spawn(process.execPath, ['--', cli, ...args, '--json'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  createInterface({ input: child.stderr }).on('line', (line) => console.log(`  │ ${line}`));
  const timer = setTimeout(() => child.kill('SIGTERM'), commandTimeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  if (!stdout.trim()) throw new Error(`baseten-cd ${args[0]} exited with ${code} and printed no result`);
  console.log(`  exit code ${code}`);
  return { code, result: JSON.parse(stdout) as T };
}
