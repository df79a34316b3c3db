import type { CandidateKind } from '../activities/push-types';
import type { StepAnalysis } from '../activities/rollout-types';
import type { ValidationReport } from '../validation/report';
import type { ValidationSpec } from '../validation/schema';
import { watcherWorkflowId } from '../common/workflow-ids';
import { watchSettings } from './release-rules';
import type { DeployInput, ReleaseProgress, RolloutReport } from './types';
import {
  clock,
  code,
  duration,
  line,
  listLink,
  modelQuery,
  percent,
  shortCommit,
  textTable,
  workflowLink,
} from './ui-markdown';
import { watchSettingsRows } from './watch-text';

// What the Temporal UI says about a release: its one-line summary and static details (set when it starts) and
// its current details (kept up to date by the Release class). Pure: the client and the workflow both use them.

/** `published candidate`, `development deployment`, `candidate in staging`. */
export function candidateLabel(candidate: CandidateKind): string {
  if (candidate.kind === 'environment') return `candidate in ${candidate.name}`;
  return candidate.kind === 'development' ? 'development deployment' : 'published candidate';
}

/** One line: `release text-transform → production: published candidate, commit abc1234`. */
export function releaseSummary(input: DeployInput): string {
  const commit = input.gitCommit ? `commit ${shortCommit(input.gitCommit)}` : 'no git commit';
  return line(`release ${input.modelName} → ${input.environment}: ${candidateLabel(input.candidate)}, ${commit}`);
}

/** What a client passes when it starts a release: its summary and static details for the Temporal UI. */
export function releaseMetadata(
  input: DeployInput,
  namespace: string,
): { staticSummary: string; staticDetails: string } {
  return { staticSummary: releaseSummary(input), staticDetails: releaseStaticDetails(input, namespace) };
}

/** The static details: what the release does, the validation file's budgets, and the links that matter. */
export function releaseStaticDetails(input: DeployInput, namespace: string): string {
  const what = [
    `**${input.modelName} → ${input.environment}**: pushes a ${candidateLabel(input.candidate)} with \`truss push\``,
    input.gitCommit ? ` from commit ${code(input.gitCommit)}` : '',
    input.deploymentName ? `, deployment name ${code(input.deploymentName)}` : '',
    ', validates it, ',
    input.approval ? `waits up to ${duration(input.approval.timeoutMs)} for approval, ` : '',
    `promotes it and verifies ${input.environment}; a failed promotion is reverted.`,
  ].join('');
  const labels = Object.entries(input.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  return [
    what,
    ...(labels.length > 0 ? [`Labels: ${labels.map(code).join(', ')}`] : []),
    '',
    '**Budgets** (the validation file)',
    '',
    ...budgetRows(input).map(([name, value]) => `- ${name}: ${value}`),
    '',
    '**Links**',
    '',
    `- ${workflowLink(namespace, watcherWorkflowId(input.modelName, input.environment), `The production watcher of ${input.modelName} (${input.environment})`)}`,
    `- ${listLink(namespace, modelQuery(input.modelName), `Every release and watcher of ${input.modelName}`)}`,
  ].join('\n');
}

/** The validation file's budgets and the watcher's settings, one row each. */
function budgetRows(input: DeployInput): Array<[string, string]> {
  const spec = input.validation;
  const rows: Array<[string, string]> = [
    ['warm-up', `${spec.warmup.requests} request(s), first answer within ${duration(spec.warmup.timeout)}`],
    [`cases (${spec.cases.length})`, spec.cases.map((c) => c.name).join('; ')],
  ];
  rows.push(...latencyBudgetRows(spec));
  if (spec.compareWithProduction) {
    const { percentile, maxLatencyRatio } = spec.compareWithProduction;
    rows.push([`${percentile} vs production`, `at most ${maxLatencyRatio} × production's`]);
  }
  rows.push(...watchSettingsRows(watchSettings(input)).map(([k, v]): [string, string] => [`watch: ${k}`, v]));
  return rows;
}

function latencyBudgetRows(spec: ValidationSpec): Array<[string, string]> {
  const latency = spec.latency;
  if (!latency) return [['latency', 'not sampled (no `latency` section)']];
  return [
    ['latency samples', `${latency.samples} at concurrency ${latency.concurrency}`],
    ['p50', latency.p50 === undefined ? 'not judged' : `at most ${duration(latency.p50)}`],
    ['p95', latency.p95 === undefined ? 'not judged' : `at most ${duration(latency.p95)}`],
    ['error rate', `at most ${percent(latency.maxErrorRate)}`],
  ];
}

/** A line of the release's story: a stage entered or a step noted, at workflow time. */
export interface ReleaseLogLine {
  at: number;
  text: string;
}

/** What a change of the release's facts adds to its story, in words (a stage entered is told by Release.enter). */
export function storyLines(before: ReleaseProgress, facts: Partial<ReleaseProgress>, input: DeployInput): string[] {
  const lines: string[] = [];
  const candidate = facts.candidateDeploymentId ?? before.candidateDeploymentId;
  if (facts.candidateDeploymentId && facts.candidateDeploymentId !== before.candidateDeploymentId) {
    lines.push(`pushed: candidate ${facts.candidateDeploymentId}${facts.modelId ? ` of model ${facts.modelId}` : ''}`);
  }
  if (facts.candidateStatus && facts.candidateStatus !== before.candidateStatus) {
    lines.push(`candidate ${candidate ?? ''} is ${facts.candidateStatus}`);
  }
  if (facts.validation) {
    const { passed, cases, reasons } = facts.validation;
    const passedCases = cases.filter((c) => c.passed).length;
    lines.push(
      `validation ${passed ? 'passed' : 'FAILED'}: ${passedCases}/${cases.length} case(s)` +
        (passed ? '' : ` (${reasons[0] ?? 'see the table'})`),
    );
  }
  if (facts.approval && facts.approval !== before.approval) {
    const who = facts.approval.by ? ` by ${facts.approval.by}` : '';
    lines.push(
      `${facts.approval.approved ? 'approved' : 'rejected'}${who}${facts.approval.reason ? `: ${facts.approval.reason}` : ''}`,
    );
  }
  if ('previousProductionDeploymentId' in facts) {
    const previous = facts.previousProductionDeploymentId;
    lines.push(
      previous
        ? `${input.environment} serves ${previous}: the revert target`
        : `${input.environment} has no previous deployment`,
    );
  }
  if (facts.productionDeploymentId && facts.productionDeploymentId !== before.productionDeploymentId) {
    lines.push(`${input.environment} serves ${facts.productionDeploymentId}`);
  }
  if (facts.message && facts.message !== before.message) lines.push(facts.message);
  return lines.map((l) => line(l, 200));
}

const stageTitles: Record<ReleaseProgress['stage'], string> = {
  pushing: 'Pushing the candidate',
  building: 'Building the candidate',
  validating: 'Validating the candidate',
  'awaiting-approval': 'Awaiting approval',
  promoting: 'Promoting',
  verifying: 'Verifying production',
  reverting: 'Reverting production',
  promoted: 'Promoted',
  rejected: 'Rejected',
  failed: 'Failed',
};

/** The current details: stage, candidate, production, validation table and the story so far. */
export function releaseDetails(
  progress: ReleaseProgress,
  input: DeployInput,
  namespace: string,
  log: readonly ReleaseLogLine[],
): string {
  const parts = [
    `### ${stageTitles[progress.stage]} · ${input.modelName} → ${input.environment}`,
    `Stage ${code(progress.stage)} since ${clock(progress.stageStartedAt)}${progress.message ? `: ${progress.message}` : ''}`,
    '',
    ...factLines(progress, input, namespace),
  ];
  if (progress.validation) parts.push('', ...validationSection(progress.validation));
  if (progress.rollout) parts.push('', ...rolloutSection(progress.rollout));
  if (log.length > 0) {
    parts.push('', '**What happened** (UTC)', '', ...log.map((l) => `- ${code(clock(l.at, true))} ${l.text}`));
  }
  return parts.join('\n');
}

function factLines(progress: ReleaseProgress, input: DeployInput, namespace: string): string[] {
  const facts: string[] = [];
  if (progress.candidateDeploymentId) {
    const status = progress.candidateStatus ? `, ${progress.candidateStatus}` : '';
    const model = progress.modelId ? ` of model ${code(progress.modelId)}` : '';
    facts.push(`- Candidate: ${code(progress.candidateDeploymentId)}${model}${status}`);
  } else {
    facts.push(`- Candidate: not pushed yet (${candidateLabel(input.candidate)})`);
  }
  if (progress.previousProductionDeploymentId) {
    facts.push(`- ${input.environment} before: ${code(progress.previousProductionDeploymentId)} (the revert target)`);
  }
  if (progress.productionDeploymentId) {
    facts.push(`- ${input.environment} now: ${code(progress.productionDeploymentId)}`);
  }
  if (progress.approvalDeadline !== undefined) {
    facts.push(`- Approval: waiting until ${clock(progress.approvalDeadline)} (update \`approve\` or \`reject\`)`);
  }
  if (progress.approval) {
    const who = progress.approval.by ? ` by ${progress.approval.by}` : '';
    const why = progress.approval.reason ? `: ${progress.approval.reason}` : '';
    facts.push(`- Approval: ${progress.approval.approved ? 'approved' : 'rejected'}${who}${why}`);
  }
  if (progress.watcherId) facts.push(`- Watcher: ${workflowLink(namespace, progress.watcherId)}`);
  return facts;
}

/**
 * The validation table: each case, then latency against the budget, then the comparison with production; the
 * failed checks in words below it. Short columns, so it fits half the width of the UI's metadata tab.
 */
export function validationSection(report: ValidationReport): string[] {
  const rows = report.cases.map((c) => [
    verdict(c.passed),
    c.name,
    `${c.status ?? 'no answer'} in ${duration(c.latencyMs)}`,
    c.passed ? 'as expected' : `${c.failures.length} check(s) failed`,
  ]);
  const latency = report.latency;
  if (latency) {
    const { p50Ms, p95Ms, budget } = latency;
    rows.push(
      [verdict(within(p50Ms, budget.p50Ms)), 'p50', duration(p50Ms), limit(budget.p50Ms)],
      [verdict(within(p95Ms, budget.p95Ms)), 'p95', duration(p95Ms), limit(budget.p95Ms)],
      [
        verdict(latency.errorRate <= budget.maxErrorRate),
        'error rate',
        `${percent(latency.errorRate)} (${latency.errors}/${latency.samples})`,
        `≤ ${percent(budget.maxErrorRate)}`,
      ],
    );
  }
  const comparison = report.comparison;
  if (comparison) {
    const ratio = comparison.ratio === undefined ? '–' : `${+comparison.ratio.toFixed(2)} ×`;
    rows.push([
      comparison.skipped ? 'skip' : verdict(comparison.passed),
      `${comparison.percentile} vs production`,
      comparison.skipped ? 'skipped' : ratio,
      `≤ ${comparison.maxLatencyRatio} ×`,
    ]);
  }
  const warm = report.warmup.woke ? ', woken from zero' : '';
  const heading =
    `**Validation: ${report.passed ? 'passed' : 'FAILED'}** in ${duration(report.durationMs)}` +
    ` (warm-up: ${report.warmup.attempts} attempt(s)${warm}` +
    `${latency ? `; ${latency.samples} samples at concurrency ${latency.concurrency}` : ''})`;
  const section = [heading, '', textTable(['verdict', 'check', 'measured', 'budget'], rows)];
  const skipped = comparison?.skipped ? [`comparison skipped: ${comparison.skipped}`] : [];
  const failed = [...report.reasons, ...skipped];
  if (failed.length > 0) section.push('', ...failed.map((reason) => `- ${line(reason, 300)}`));
  return section;
}

function verdict(passed: boolean): string {
  return passed ? 'pass' : 'FAIL';
}

function limit(ms: number | undefined): string {
  return ms === undefined ? 'not judged' : `≤ ${duration(ms)}`;
}

function within(measured: number | undefined, limit: number | undefined): boolean {
  return limit === undefined || (measured !== undefined && measured <= limit);
}

/** One step's numbers and verdict in a line: `40% step passed: candidate 41/100 requests (41%), 5xx 0%, p95 12 ms`. */
export function stepLine(step: StepAnalysis): string {
  const c = step.candidate;
  const numbers = c
    ? `candidate ${c.requests} request(s)${step.share !== undefined ? ` (${percent(step.share)} of traffic)` : ''}, ` +
      `5xx ${percent(c.errorRate)}, p95 ${duration(c.p95Ms)}`
    : 'no traffic metrics';
  const p = step.previous;
  const previous = p ? `; previous 5xx ${percent(p.errorRate)}, p95 ${duration(p.p95Ms)}` : '';
  const probe = step.probe ? `; probe ${step.probe.ok ? 'ok' : 'FAILED'}` : '';
  const verdictText = step.verdict === 'passed' ? 'passed' : `FAILED (${step.reasons.join('; ')})`;
  return line(`${step.percent}% step ${verdictText}: ${numbers}${previous}${probe}`, 300);
}

/** The ramp: one row per traffic step with the window, the candidate's and the previous deployment's numbers. */
export function rolloutSection(report: RolloutReport): string[] {
  const rows = report.steps.map((s) => [
    verdict(s.verdict === 'passed'),
    `${s.percent}%`,
    duration(s.windowEndMs - s.windowStartMs),
    s.candidate ? `${s.candidate.requests}` : '–',
    percent(s.candidate?.errorRate),
    duration(s.candidate?.p95Ms),
    percent(s.previous?.errorRate),
    duration(s.previous?.p95Ms),
  ]);
  const how = report.heldPerStep ? 'promotion paused for each analysis' : 'analysed while each step holds';
  const section = [
    `**Rolling promotion: ${report.state}**${report.heldBy ? ` (held by ${report.heldBy})` : ''}, ` +
      `each step analysed for ${duration(report.windowMs)} (${how})`,
  ];
  if (rows.length > 0) {
    section.push(
      '',
      textTable(['verdict', 'traffic', 'window', 'requests', '5xx', 'p95', 'prev 5xx', 'prev p95'], rows),
    );
  }
  const failed = report.steps.flatMap((s) => s.reasons);
  if (failed.length > 0) section.push('', ...failed.map((reason) => `- ${line(reason, 300)}`));
  return section;
}
