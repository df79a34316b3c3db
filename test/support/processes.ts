import { existsSync, readFileSync } from 'node:fs';

const hasProc = existsSync('/proc/self/stat');

/**
 * True while a process with this pid runs (signal 0 checks without signalling). A zombie counts as gone: it has
 * exited and only waits to be reaped, which an orphan's new parent may never do (this machine's init does not).
 */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!hasProc) return true; // macOS: signal 0 is all there is to go on
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ...": comm may itself hold spaces and parentheses.
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return false; // gone since the signal check
  }
}
