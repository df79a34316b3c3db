import { execFile } from 'node:child_process';

/** `git rev-parse HEAD` in `dir`, or undefined when it is not a git checkout (or git is missing or slow). */
export async function gitCommitOf(dir: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd: dir, timeout: 5000 }, (err, stdout) => {
      const sha = stdout.trim();
      resolve(!err && /^[0-9a-f]{40}$/.test(sha) ? sha : undefined);
    });
  });
}
