import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import { releaseSummary } from '../../../src/workflows/release-text';
import { watcherSummary } from '../../../src/workflows/watch-text';
import { connectTemporal, temporalAddress, type TemporalTestContext } from '../../support/temporal';
import {
  endWatcher,
  releaseWithWatcher,
  revertByWatcher,
  startUiStack,
  type ReleasedModel,
  type UiStack,
} from './ui-release';

// What the Temporal UI shows comes from the API: the workflows' static summary and details (describe), their
// current details (the built-in metadata query), and each command's summary (userMetadata on the history events).

type HistoryEvent = NonNullable<History['events']>[number];

/** The events that stand for a step of a workflow: activities, timers, child workflows. */
function steps(history: History): Array<{ kind: string; id: number; summary?: string }> {
  return (history.events ?? []).flatMap((event: HistoryEvent) => {
    const kind = event.activityTaskScheduledEventAttributes
      ? `activity ${event.activityTaskScheduledEventAttributes.activityType?.name ?? '?'}`
      : event.timerStartedEventAttributes
        ? 'timer'
        : event.startChildWorkflowExecutionInitiatedEventAttributes
          ? `child ${event.startChildWorkflowExecutionInitiatedEventAttributes.workflowType?.name ?? '?'}`
          : undefined;
    if (!kind) return [];
    const payload = event.userMetadata?.summary;
    const summary = payload ? defaultPayloadConverter.fromPayload<string>(payload) : undefined;
    return [{ kind, id: Number(event.eventId), summary }];
  });
}

async function currentDetails(handle: WorkflowHandle): Promise<string> {
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return metadata.currentDetails ?? '';
}

describe('what the Temporal UI shows of a release and its watcher (through the API)', () => {
  let temporal: TemporalTestContext;
  let stack: UiStack;
  let released: ReleasedModel | undefined;
  beforeAll(async () => {
    temporal = await connectTemporal();
    stack = await startUiStack(temporal, temporalAddress());
  });
  afterAll(async () => {
    await endWatcher(released?.watcher);
    await stack?.close();
    await temporal?.close();
  });

  it('gives every activity, timer and child of a release and of its watcher a summary, and both workflows their details', async () => {
    released = await releaseWithWatcher(stack, '3f9c2e1d4b5a69788796a5b4c3d2e1f0a9b8c7d6');
    const reverted = await revertByWatcher(stack, released);
    const { release, watcher, candidateId, previousId, input } = released;

    // Static summary and details, as a client that starts releases sets them and as the release sets its watcher's.
    const releaseDescription = await release.describe();
    expect(await releaseDescription.staticSummary()).toBe(releaseSummary(input));
    expect(await releaseDescription.staticSummary()).toMatch(
      /^release text-transform-\w+ → production: published candidate, commit 3f9c2e1$/,
    );
    const releaseStatic = (await releaseDescription.staticDetails()) ?? '';
    expect(releaseStatic).toContain('- p95: at most 2 s');
    expect(releaseStatic).toContain(`[The production watcher of ${input.modelName} (production)](/namespaces/`);
    const watcherDescription = await watcher.describe();
    expect(await watcherDescription.staticSummary()).toBe(
      watcherSummary({
        modelName: input.modelName,
        environment: 'production',
        deploymentId: candidateId,
        fallbackDeploymentId: previousId,
      }),
    );
    expect(await watcherDescription.staticDetails()).toContain('signal `rollback`');

    // Current details: the release's validation table and story; the watcher's observations and incident.
    const releaseNow = await currentDetails(release);
    expect(releaseNow).toMatch(/^### Promoted · /);
    expect(releaseNow).toMatch(/\*\*Validation: passed\*\*/);
    expect(releaseNow).toMatch(/pass\s+normalises whitespace and upper…\s+200 in \d+ ms\s+as expected/);
    expect(releaseNow).toMatch(/pass\s+p95\s+\S+ m?s\s+≤ 2 s/);
    expect(releaseNow).toContain('approved by ana: validation numbers look good');
    const watcherNow = await currentDetails(watcher);
    expect(reverted.watchedDeploymentId).toBe(previousId);
    expect(watcherNow).toMatch(/^### Reverted · /);
    expect(watcherNow).toMatch(/UNHEALTHY .* BAD/);
    expect(watcherNow).toMatch(/Bad at \d\d:\d\d:\d\d: .*UNHEALTHY/);
    expect(watcherNow).toContain(`**#1 automatic revert** at `);
    expect(watcherNow).toContain(`\`${candidateId}\` → \`${previousId}\`, **reverted**`);

    // Every step of both workflows says what it does.
    const releaseSteps = steps(await release.fetchHistory());
    const watcherSteps = steps(await watcher.fetchHistory());
    const all = [...releaseSteps, ...watcherSteps];
    expect(all.filter((s) => !s.summary)).toEqual([]);
    // The scan saw each kind of step: the approval gate's timer, the watcher child, and the activities.
    expect(releaseSteps.map((s) => s.kind)).toEqual(expect.arrayContaining(['timer', 'child watchProduction']));
    const summaries = all.map((s) => s.summary);
    expect(summaries).toEqual(
      expect.arrayContaining([
        `push ${input.modelName} with truss (published candidate)`,
        `wait until ${candidateId} is ACTIVE`,
        expect.stringMatching(/^validate \w+: 3 case\(s\), 30 latency samples, compared with production$/),
        'wait up to 30 min for approve or reject',
        `promote ${candidateId} to production`,
        expect.stringMatching(/^verify that production serves \w+, ACTIVE, and answers/),
        `observe ${candidateId} in production (every 1 s, up to 30 min)`,
        `wake ${previousId} before the revert`,
        `promote ${previousId} back to production (revert)`,
      ]),
    );
  });
});
