import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
}

/**
 * Unpacks an uploaded Truss archive (truss writes an uncompressed tar, despite the `.tgz` name) with
 * the system tar, which also refuses absolute and `..` member paths by default.
 */
export async function unpackArchive(archive: string, into: string, timeoutMs = 60_000): Promise<void> {
  await mkdir(into, { recursive: true });
  try {
    await run('tar', ['-xf', archive, '-C', into, '--no-same-owner', '--no-same-permissions'], {
      timeout: timeoutMs,
    });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new ArchiveError(`the uploaded archive is not a readable tar file: ${stderr || (err as Error).message}`);
  }
}
