import { MessageName } from '../common/message-names';
import { watcherWorkflowId } from '../common/workflow-ids';
import { clock, code, duration, line, listLink, modelQuery, percent, textTable, workflowLink } from './ui-markdown';
import type { Incident, Observation, WatchInput, WatchSettings, WatchState } from './watch-types';

// What the Temporal UI says about a production watcher: its one-line summary and static details (set by the
// release that starts it) and its current details (kept up to date by the Watch class). Pure.

/** One line: `watch text-transform in production: dep_new (falls back to dep_old)`. */
export function watcherSummary(
  input: Pick<WatchInput, 'modelName' | 'environment' | 'deploymentId' | 'fallbackDeploymentId'>,
): string {
  const fallback = input.fallbackDeploymentId
    ? `falls back to ${input.fallbackDeploymentId}`
    : 'nothing to fall back to';
  return line(`watch ${input.modelName} in ${input.environment}: ${input.deploymentId} (${fallback})`);
}

/** The static details: how the watcher judges production, how to roll back from the UI, and the links. */
export function watcherStaticDetails(input: WatchInput, namespace: string): string {
  return [
    `**Guards ${input.modelName} in ${input.environment}** and reverts it to the deployment that served before when it turns bad, or when someone asks. Pause and resume switch the automatic revert off and on.`,
    '',
    '**How it judges production**',
    '',
    ...watchSettingsRows(input.settings).map(([name, value]) => `- ${name}: ${value}`),
    '',
    `**Roll back from this page**: *More Actions → Send a Signal*, signal ${code(MessageName.rollback)}, data \`{"reason": "why", "to": "<deployment id>"}\` (\`to\` is optional: the deployment that served before by default).`,
    '',
    '**Links**',
    '',
    ...(input.releaseId
      ? [`- ${workflowLink(namespace, input.releaseId, `The release that started it (${input.releaseId})`)}`]
      : []),
    `- ${listLink(namespace, modelQuery(input.modelName), `Every release and watcher of ${input.modelName}`)}`,
  ].join('\n');
}

/** The watcher's settings as rows of a table (also part of a release's budgets). */
export function watchSettingsRows(settings: WatchSettings): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ['interval', `one observation every ${duration(settings.intervalMs)}`],
    ['revert after', `${settings.unhealthyAfter} bad observation(s) in a row`],
    [
      '5xx share',
      `bad above ${percent(settings.maxErrorRate)} of at least ${settings.minRequests} requests in ${duration(settings.windowMs)}`,
    ],
    ['p95', settings.maxP95Ms === undefined ? 'not judged' : `bad above ${duration(settings.maxP95Ms)}`],
  ];
  const probe = settings.probe;
  rows.push([
    'probe',
    probe
      ? `case "${probe.caseName}", status ${probe.expectStatus}${probe.maxLatencyMs !== undefined ? `, within ${duration(probe.maxLatencyMs)}` : ''}`
      : 'none',
  ]);
  return rows;
}

const stageTitles: Record<WatchState['stage'], string> = {
  watching: 'Watching',
  paused: 'Paused',
  reverting: 'Reverting',
  reverted: 'Reverted',
  'revert-failed': 'REVERT FAILED',
  superseded: 'Ended',
};

/** The current details: what is watched, the mode, the last observations and the incidents. */
export function watcherDetails(state: WatchState, namespace: string): string {
  const mode =
    state.mode === 'paused'
      ? `paused${state.pausedReason ? ` (${state.pausedReason})` : ''}: no automatic revert`
      : 'automatic revert';
  const parts = [
    `### ${stageTitles[state.stage]} · ${state.modelName} in ${state.environment}`,
    `- Watched: ${code(state.watchedDeploymentId)} · falls back to ${state.fallbackDeploymentId ? code(state.fallbackDeploymentId) : 'nothing'}`,
    `- Mode: ${mode} · stage ${code(state.stage)} · watching since ${clock(state.watchingSince)}`,
  ];
  if (state.releaseId) parts.push(`- Started by ${workflowLink(namespace, state.releaseId)}`);
  if (state.message) parts.push(`- Latest: ${state.message}`);
  if (state.failure) parts.push(`- **Cannot revert: ${state.failure}**`);
  if (state.lastObservationError) parts.push(`- Observation failing: ${state.lastObservationError}`);
  parts.push('', ...observationSection(state));
  parts.push('', ...incidentSection(state.incidents));
  if (state.rejectedSignals.length > 0) {
    parts.push('', '**Ignored rollback signals**', '');
    parts.push(...state.rejectedSignals.map((s) => `- ${clock(s.at)}: ${s.problem}`));
  }
  parts.push(
    '',
    `Other watchers and releases: ${listLink(namespace, modelQuery(state.modelName), state.modelName)} · this watcher is ${code(watcherWorkflowId(state.modelName, state.environment))}`,
  );
  return parts.join('\n');
}

function observationSection(state: WatchState): string[] {
  const header = `**Last observations** (${state.consecutiveBad} bad in a row now; reverts after ${state.settings.unhealthyAfter})`;
  if (state.lastObservations.length === 0) return [header, '', 'none reported yet (a slice reports only news)'];
  const newestFirst = [...state.lastObservations].reverse();
  const table = textTable(
    ['time', 'status', 'requests', '5xx', 'p95', 'probe', 'verdict'],
    newestFirst.map(observationRow),
  );
  const bad = newestFirst.find((o) => o.bad);
  return [header, '', table, ...(bad ? ['', `Bad at ${clock(bad.at, true)}: ${bad.reasons.join('; ')}`] : [])];
}

function observationRow(o: Observation): string[] {
  const probe = o.probe
    ? `${o.probe.ok ? 'ok' : 'failed'}${o.probe.latencyMs !== undefined ? ` ${duration(o.probe.latencyMs)}` : ''}`
    : '–';
  return [
    clock(o.at, true),
    o.status ?? '–',
    o.requests === undefined ? '–' : String(o.requests),
    percent(o.errorRate),
    duration(o.p95Ms),
    probe,
    o.bad ? 'BAD' : 'good',
  ];
}

const outcomes: Record<Incident['outcome'], string> = {
  reverting: 'reverting',
  reverted: 'reverted',
  'revert-failed': 'REVERT FAILED',
  'suppressed-while-paused': 'not reverted (paused)',
  'recovered-while-paused': 'recovered while paused',
};

function incidentSection(incidents: readonly Incident[]): string[] {
  if (incidents.length === 0) return ['**Incidents**: none'];
  return ['**Incidents** (newest first)', '', ...[...incidents].reverse().map(incidentLine)];
}

/** `#1 manual rollback at …: dep_new → dep_old, reverted at … (in 12 s). Reason: …` */
export function incidentLine(incident: Incident): string {
  const kind =
    incident.kind === 'manual'
      ? `manual rollback${incident.requestedBy ? ` by ${incident.requestedBy}` : ''}`
      : 'automatic revert';
  const target = incident.to ? `${code(incident.from)} → ${code(incident.to)}` : code(incident.from);
  const restored =
    incident.restoredAt !== undefined
      ? ` at ${clock(incident.restoredAt)} (in ${duration(incident.restoredAt - incident.detectedAt)})`
      : '';
  const failure = incident.failure ? `: ${incident.failure}` : '';
  return (
    `- **#${incident.id} ${kind}** at ${clock(incident.detectedAt)}: ${target}, ` +
    `**${outcomes[incident.outcome]}**${restored}${failure}. Reason: ${line(incident.reason, 300)}`
  );
}
