import type { Incident, Observation, WatchState } from '../workflows/watch-types';

const time = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString());
const percent = (share: number) => `${+(share * 100).toFixed(1)}%`;

/** One observation in one line: `2026-12-01T08:00:00.000Z ACTIVE, 120 requests, 5xx 0%, p95 41 ms, probe ok`. */
export function describeObservation(o: Observation): string {
  const parts = [time(o.at), o.status ?? 'status unknown'];
  if (o.requests !== undefined) parts.push(`${o.requests} requests`);
  if (o.errorRate !== undefined) parts.push(`5xx ${percent(o.errorRate)}`);
  if (o.p95Ms !== undefined) parts.push(`p95 ${Math.round(o.p95Ms)} ms`);
  if (o.probe) parts.push(o.probe.ok ? 'probe ok' : `probe failed`);
  if (o.bad) parts.push(`BAD: ${o.reasons.join('; ')}`);
  return parts.join(', ');
}

/** One incident in one line, with its timings. */
export function describeIncident(i: Incident): string {
  const route = `${i.from} → ${i.to ?? '(nothing)'}`;
  const restored =
    i.restoredAt !== undefined
      ? `, restored ${time(i.restoredAt)} (${i.restoredAt - i.detectedAt} ms after the decision)`
      : '';
  const failure = i.failure ? `: ${i.failure}` : '';
  return `#${i.id} ${i.kind} ${i.outcome} ${route}, detected ${time(i.detectedAt)}${restored}${failure} — ${i.reason}`;
}

/** What `status`, `rollback`, `pause` and `resume` print about a watcher. */
export function describeWatchState(s: WatchState): string[] {
  const lines = [
    `stage ${s.stage}, mode ${s.mode}${s.pausedReason ? ` (paused: ${s.pausedReason})` : ''}`,
    `watching deployment ${s.watchedDeploymentId} of ${s.modelName} in ${s.environment}; falls back to ${s.fallbackDeploymentId ?? 'nothing'}`,
  ];
  if (s.failure) lines.push(`CANNOT REVERT: ${s.failure}`);
  if (s.lastObservationError) lines.push(`observation failing: ${s.lastObservationError}`);
  for (const o of s.lastObservations.slice(-3)) lines.push(`seen ${describeObservation(o)}`);
  for (const i of s.incidents.slice(-5)) lines.push(`incident ${describeIncident(i)}`);
  for (const r of s.rejectedSignals.slice(-3)) lines.push(`ignored a rollback signal at ${time(r.at)}: ${r.problem}`);
  return lines;
}
