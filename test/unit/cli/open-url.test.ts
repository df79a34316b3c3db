import { browserCommand, openInBrowser, openPage } from '../../../src/cli/open-url';

const url = 'http://127.0.0.1:8233/namespaces/default/workflows/release-sentiment-production';

describe('status --open', () => {
  it("uses BROWSER, else the platform's opener, and none on Linux without a display", () => {
    expect(browserCommand({ BROWSER: 'firefox' }, 'linux')).toEqual({ command: 'firefox', args: [] });
    expect(browserCommand({}, 'darwin')).toEqual({ command: 'open', args: [] });
    expect(browserCommand({ DISPLAY: ':0' }, 'linux')).toEqual({ command: 'xdg-open', args: [] });
    expect(browserCommand({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toEqual({ command: 'xdg-open', args: [] });
    // A CI job or an SSH session: no browser, so the link is printed instead.
    expect(browserCommand({ DISPLAY: ' ' }, 'linux')).toBeUndefined();
  });

  it('says whether the opener opened the page', async () => {
    expect(await openInBrowser(url, { BROWSER: 'true' })).toBe(true);
    expect(await openInBrowser(url, { BROWSER: 'false' })).toBe(false);
    expect(await openInBrowser(url, { BROWSER: '/nonexistent/browser' })).toBe(false);
    expect(await openInBrowser(url, {})).toBe(process.platform !== 'linux' && process.platform !== 'freebsd');
  });

  it('prints the link when there is no browser to open it with', async () => {
    const lines: string[] = [];
    const out = { line: (text: string) => lines.push(text), result: () => undefined };
    await openPage(url, out, { BROWSER: 'false' });
    await openPage(url, out, { BROWSER: 'true' });
    expect(lines).toEqual([`no browser to open the page here: ${url}`, `opened ${url}`]);
  });
});
