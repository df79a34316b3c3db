import { spawn } from 'node:child_process';
import { readEnv } from '../config/env';
import type { Output } from './output';

/** How long an opener may take to say whether it could open the page. */
const openerTimeoutMs = 10_000;

/**
 * The command that opens a URL in the user's browser: `BROWSER` when set, else the platform's opener. None on a
 * Linux machine without a display (a CI job, an SSH session): xdg-open would fall back to a text browser and take
 * over the terminal.
 */
export function browserCommand(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): { command: string; args: string[] } | undefined {
  const browser = readEnv('BROWSER', env);
  if (browser) return { command: browser, args: [] };
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  if (!readEnv('DISPLAY', env) && !readEnv('WAYLAND_DISPLAY', env)) return undefined;
  return { command: 'xdg-open', args: [] };
}

/** Opens `url` in a browser; false when there is none, or the opener failed (the caller prints the link). */
export async function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const opener = browserCommand(env);
  if (!opener) return false;
  return new Promise((resolve) => {
    const child = spawn(opener.command, [...opener.args, url], { stdio: 'ignore', detached: true });
    const timer = setTimeout(() => {
      // Still running: a browser started in the foreground (BROWSER=firefox). It has the page.
      child.unref();
      resolve(true);
    }, openerTimeoutMs);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

/** `--open`: opens the page, or prints its link when there is no browser to open it with. */
export async function openPage(url: string, out: Output, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (await openInBrowser(url, env)) out.line(`opened ${url}`);
  else out.line(`no browser to open the page here: ${url}`);
}
