import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { FrameLocator, Page } from 'playwright-core';
import { startDevServer, type DevServer } from '../../../src/temporal/dev-server';
import { projectRoot } from '../../../src/tools/paths';
import { releaseSummary } from '../../../src/workflows/release-text';
import { modelQuery } from '../../../src/workflows/ui-markdown';
import { launchBrowser, type TestBrowser } from '../../support/browser';
import type { TemporalTestContext } from '../../support/temporal';
import {
  endWatcher,
  releaseWithWatcher,
  revertByWatcher,
  startUiStack,
  watcherState,
  type ReleasedModel,
  type UiStack,
} from './ui-release';

// The Temporal UI in a real browser (Debian's Chromium), on a dev server with its Web UI, after a real release and
// a real revert: what a person sees is what this test reads. UPDATE_UI_SCREENSHOTS=1 also saves the README's
// screenshots (docs/ui/*.png).

const screenshotsDir = path.join(projectRoot, 'docs', 'ui');

async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  if (process.env.UPDATE_UI_SCREENSHOTS !== '1') return;
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage });
}

/** The current-details panel of the User Metadata tab (the UI renders the markdown in a frame). */
function currentDetails(page: Page): FrameLocator {
  return page.frameLocator('#user-metadata-current-details');
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
}

describe('the Temporal UI as the dashboard of releases and watchers (in a real browser)', () => {
  let server: DevServer;
  let temporal: TemporalTestContext;
  let stack: UiStack;
  let browser: TestBrowser;
  let released: ReleasedModel | undefined;

  beforeAll(async () => {
    server = await startDevServer({ ui: true, readyTimeoutMs: 90_000 });
    const connection = await Connection.connect({ address: server.address });
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    temporal = {
      client: new Client({ connection, namespace: server.namespace }),
      connection,
      nativeConnection,
      async close() {
        await connection.close();
        await nativeConnection.close();
      },
    };
    stack = await startUiStack(temporal, server.address);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await endWatcher(released?.watcher).catch(() => undefined);
    await browser?.close();
    await stack?.close();
    await temporal?.close();
    await server?.stop();
  });

  it('shows a release and its watcher in words, and reverts production from the signal dialog', async () => {
    released = await releaseWithWatcher(stack, '3f9c2e1d4b5a69788796a5b4c3d2e1f0a9b8c7d6');
    await revertByWatcher(stack, released);
    const { page } = browser;
    const { modelName, candidateId, previousId, input } = released;
    const releaseId = released.release.workflowId;
    const watcherId = released.watcher.workflowId;
    const workflows = `${server.uiUrl ?? ''}/namespaces/${server.namespace}/workflows`;

    // The saved query of the README: every release and watcher of the model.
    await page.goto(`${workflows}?query=${encodeURIComponent(modelQuery(modelName))}`);
    await page.getByRole('link', { name: releaseId }).waitFor();
    await page.getByRole('link', { name: watcherId }).waitFor();
    expect(await page.getByRole('link', { name: /^release-|^watch-/ }).count()).toBe(2);
    await screenshot(page, 'list');

    // The release's timeline tells its story step by step.
    await page.goto(`${workflows}/${releaseId}`);
    for (const step of [
      `push ${modelName} with truss (published candidate)`,
      `wait until ${candidateId} is ACTIVE`,
      'wait up to 30 min for approve or reject',
      `promote ${candidateId} to production`,
      `watch ${modelName} in production: ${candidateId} (falls back to ${previousId})`,
    ]) {
      await page.getByText(step).first().waitFor();
    }
    await page
      .getByRole('heading', { name: 'Timeline' })
      .evaluate((heading: { scrollIntoView(): void }) => heading.scrollIntoView());
    await screenshot(page, 'release-timeline');

    // Its summary, static details and current details: the validation table against the budgets.
    await openTab(page, 'User Metadata');
    await page.frameLocator('#user-metadata-summary').getByText(releaseSummary(input)).waitFor();
    await page.frameLocator('#user-metadata-details').getByText('p95: at most 2 s').waitFor();
    const details = currentDetails(page);
    await details.getByText(`Promoted · ${modelName} → production`).waitFor();
    await details.getByText('Validation: passed').waitFor();
    const table = await details.locator('pre').first().innerText();
    expect(table).toMatch(/^verdict\s+check\s+measured\s+budget$/m);
    expect(table).toMatch(/^pass\s+p95\s+\S+ m?s\s+≤ 2 s$/m);
    expect(table).toMatch(/^pass\s+error rate\s+0 % \(0\/30\)\s+≤ 0 %$/m);
    await screenshot(page, 'release-details', true);

    // The event history names each activity's purpose too.
    await openTab(page, 'Event History');
    await page.getByText(`promote ${candidateId} to production`).first().waitFor();

    // The watcher: its incident after the automatic revert, with the observations it decided on.
    await page.goto(`${workflows}/${watcherId}`);
    await openTab(page, 'User Metadata');
    await currentDetails(page).getByText('#1 automatic revert').waitFor();
    await currentDetails(page)
      .getByText(/Bad at \d\d:\d\d:\d\d: .*UNHEALTHY/)
      .waitFor();
    expect(await currentDetails(page).locator('li', { hasText: '#1 automatic revert' }).innerText()).toContain(
      `${candidateId} → ${previousId}, reverted at`,
    );

    // The deployment is healthy again (scaled to zero by the revert): put it back from the UI's signal dialog, as
    // the README says. The rollback wakes it before promoting it.
    await stack.emu.control.clearDeploymentFaults(candidateId);
    await page.getByRole('button', { name: 'More Actions' }).click();
    await page.getByRole('menuitem', { name: 'Send a Signal' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('signal-select-button').click();
    await dialog.getByRole('option', { name: /^rollback/ }).click();
    const body = `{"reason": "the fix for the outage is deployed", "to": "${candidateId}", "by": "ana"}`;
    await dialog.getByRole('textbox', { name: 'Data' }).fill(body);
    // Leaving the editor formats the JSON; only then does Submit take the click.
    await dialog.getByText('Single JSON payload supported.').click();
    await dialog.getByText('"the fix for the outage is deployed"').waitFor();
    await screenshot(page, 'rollback-signal');
    await dialog.getByTestId('confirm-modal-button').click();
    await dialog.waitFor({ state: 'hidden' });

    await watcherState(released.watcher, 'the watcher to carry out the rollback signal', (s) =>
      s.incidents.some((i) => i.kind === 'manual' && i.outcome === 'reverted'),
    );
    await page.reload();
    await openTab(page, 'User Metadata');
    const manual = currentDetails(page).locator('li', { hasText: '#2 manual rollback by ana' });
    await manual.waitFor();
    expect(await manual.innerText()).toContain(`${previousId} → ${candidateId}, reverted at`);
    expect(await manual.innerText()).toContain('Reason: the fix for the outage is deployed');
    await screenshot(page, 'watcher-details', true);
  }, 360_000);
});
