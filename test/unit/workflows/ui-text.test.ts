import { validationSpecSchema } from '../../../src/validation/schema';
import type { ValidationReport } from '../../../src/validation/report';
import {
  releaseDetails,
  releaseStaticDetails,
  releaseSummary,
  rolloutSection,
  stepLine,
  storyLines,
  validationSection,
} from '../../../src/workflows/release-text';
import type { DeployInput, ReleaseProgress } from '../../../src/workflows/types';
import {
  clock,
  duration,
  line,
  listLink,
  modelQuery,
  percent,
  textTable,
  workflowLink,
} from '../../../src/workflows/ui-markdown';
import { incidentLine, watcherDetails, watcherStaticDetails, watcherSummary } from '../../../src/workflows/watch-text';
import { defaultWatchSettings } from '../../../src/workflows/watch-rules';
import type { Incident, WatchInput, WatchState } from '../../../src/workflows/watch-types';

const at = Date.UTC(2026, 11, 1, 8, 48, 30);

const input: DeployInput = {
  modelName: 'sentiment',
  environment: 'production',
  candidate: { kind: 'published' },
  trussDir: '/ci/sentiment',
  pushTaskQueue: 'push-1',
  gitCommit: '3f9c2e1d4b5a69788796a5b4c3d2e1f0a9b8c7d6',
  validation: validationSpecSchema.parse({
    warmup: { requests: 3, timeout: '2m' },
    cases: [{ name: 'positive review', input: { text: 'I love it' } }],
    latency: { samples: 50, concurrency: 4, p50: '300ms', p95: '800ms', maxErrorRate: 0.01 },
    compareWithProduction: { maxLatencyRatio: 1.5 },
  }),
  cleanupOnReject: false,
};

const report: ValidationReport = {
  passed: false,
  reasons: ['p95 912 ms is over the budget of 800 ms'],
  warmup: { woke: true, attempts: 2, durationMs: 1_500 },
  cases: [{ name: 'positive review', passed: true, status: 200, latencyMs: 41, failures: [] }],
  latency: {
    samples: 50,
    errors: 0,
    errorRate: 0,
    p50Ms: 120,
    p95Ms: 912,
    concurrency: 4,
    budget: { p50Ms: 300, p95Ms: 800, maxErrorRate: 0.01 },
    passed: false,
  },
  comparison: { percentile: 'p50', maxLatencyRatio: 1.5, ratio: 1.2, passed: true },
  durationMs: 6_200,
};

describe('UI text helpers', () => {
  it('formats durations, shares and workflow times as a person reads them', () => {
    expect([12, 1_500, 12_345, 600_000, 86_400_000].map(duration)).toEqual([
      '12 ms',
      '1.5 s',
      '12.3 s',
      '10 min',
      '24 h',
    ]);
    expect(duration(undefined)).toBe('–');
    expect([0, 0.025, 0.5].map(percent)).toEqual(['0 %', '2.5 %', '50 %']);
    expect(clock(at)).toBe('2026-12-01 08:48:30 UTC');
    expect(clock(at, true)).toBe('08:48:30');
  });

  it('keeps a summary on one bounded line', () => {
    expect(line('a\n  b\tc')).toBe('a b c');
    expect(line('x'.repeat(300))).toHaveLength(160);
    expect(line('x'.repeat(300)).endsWith('…')).toBe(true);
  });

  it('aligns a table in a fenced block, so its columns do not run together in the UI', () => {
    expect(
      textTable(
        ['check', 'verdict'],
        [
          ['p95', 'pass'],
          ['error rate', 'FAIL'],
        ],
      ),
    ).toBe(['```', 'check       verdict', 'p95         pass', 'error rate  FAIL', '```'].join('\n'));
    // A backtick in a cell would end the block early.
    expect(textTable(['a'], [['x```y']])).toBe(['```', 'a', "x'''y", '```'].join('\n'));
  });

  it('links workflows and saved queries relative to the UI root, encoded', () => {
    expect(workflowLink('default', 'watch-a b-production')).toBe(
      '[watch-a b-production](/namespaces/default/workflows/watch-a%20b-production)',
    );
    expect(modelQuery('sentiment', 'production')).toBe('BasetenModel="sentiment" AND BasetenEnvironment="production"');
    expect(listLink('default', modelQuery('sentiment'), 'all')).toBe(
      '[all](/namespaces/default/workflows?query=BasetenModel%3D%22sentiment%22)',
    );
  });
});

describe('what the UI says about a release', () => {
  it('summarises it in one line: model, environment, candidate kind and commit', () => {
    expect(releaseSummary(input)).toBe('release sentiment → production: published candidate, commit 3f9c2e1');
    expect(
      releaseSummary({ ...input, gitCommit: undefined, candidate: { kind: 'environment', name: 'staging' } }),
    ).toBe('release sentiment → production: candidate in staging, no git commit');
    expect(releaseSummary({ ...input, candidate: { kind: 'development' } })).toContain('development deployment');
  });

  it('details the budgets of the validation file, the watcher settings and the links', () => {
    const details = releaseStaticDetails({ ...input, approval: { required: true, timeoutMs: 86_400_000 } }, 'ns');
    expect(details).toContain('waits up to 24 h for approval');
    expect(details).toContain('- p50: at most 300 ms');
    expect(details).toContain('- p95: at most 800 ms');
    expect(details).toContain('- error rate: at most 1 %');
    expect(details).toContain("- p50 vs production: at most 1.5 × production's");
    expect(details).toContain('- watch: revert after: 2 bad observation(s) in a row');
    expect(details).toContain('(/namespaces/ns/workflows/watch-sentiment-production)');
    expect(details).toContain('(/namespaces/ns/workflows?query=BasetenModel%3D%22sentiment%22)');
  });

  it('tables the validation: each case, percentiles and error rate against the budget, the comparison, the verdict', () => {
    const [heading, , table, , failure] = validationSection(report);
    expect(heading).toBe(
      '**Validation: FAILED** in 6.2 s (warm-up: 2 attempt(s), woken from zero; 50 samples at concurrency 4)',
    );
    const rows = (table ?? '').split('\n');
    expect(rows).toEqual([
      '```',
      'verdict  check              measured      budget',
      'pass     positive review    200 in 41 ms  as expected',
      'pass     p50                120 ms        ≤ 300 ms',
      'FAIL     p95                912 ms        ≤ 800 ms',
      'pass     error rate         0 % (0/50)    ≤ 1 %',
      'pass     p50 vs production  1.2 ×         ≤ 1.5 ×',
      '```',
    ]);
    expect(failure).toBe('- p95 912 ms is over the budget of 800 ms');
  });

  it('shows the stage, the candidate, production and the story in its current details', () => {
    const progress: ReleaseProgress = {
      stage: 'awaiting-approval',
      stageStartedAt: at,
      message: 'waiting up to 86400 s for approve or reject',
      modelId: 'mdl1',
      candidateDeploymentId: 'dep2',
      candidateStatus: 'ACTIVE',
      approvalDeadline: at + 86_400_000,
      validation: { ...report, passed: true },
    };
    const details = releaseDetails(progress, input, 'ns', [{ at, text: 'pushing' }]);
    expect(details.split('\n')[0]).toBe('### Awaiting approval · sentiment → production');
    expect(details).toContain('- Candidate: `dep2` of model `mdl1`, ACTIVE');
    expect(details).toContain('- Approval: waiting until 2026-12-02 08:48:30 UTC');
    expect(details).toContain('**Validation: passed**');
    expect(details).toContain('- `08:48:30` pushing');
  });

  it('tells each change of the facts in words', () => {
    const before: ReleaseProgress = { stage: 'building', stageStartedAt: at, candidateDeploymentId: 'dep2' };
    expect(storyLines(before, { candidateStatus: 'ACTIVE' }, input)).toEqual(['candidate dep2 is ACTIVE']);
    expect(storyLines(before, { validation: report }, input)).toEqual([
      'validation FAILED: 1/1 case(s) (p95 912 ms is over the budget of 800 ms)',
    ]);
    expect(storyLines(before, { previousProductionDeploymentId: undefined }, input)).toEqual([
      'production has no previous deployment',
    ]);
    expect(storyLines(before, { productionDeploymentId: 'dep2', message: 'done' }, input)).toEqual([
      'production serves dep2',
      'done',
    ]);
  });
});

describe('what the UI says about a watcher', () => {
  const watchInput: WatchInput = {
    modelId: 'mdl1',
    modelName: 'sentiment',
    environment: 'production',
    deploymentId: 'dep2',
    fallbackDeploymentId: 'dep1',
    settings: { ...defaultWatchSettings, probe: { caseName: 'positive review', input: {}, expectStatus: 200 } },
    releaseId: 'release-sentiment-production',
  };
  const incident: Incident = {
    id: 1,
    kind: 'automatic',
    reason: 'status UNHEALTHY',
    from: 'dep2',
    to: 'dep1',
    firstBadAt: at - 2_000,
    detectedAt: at,
    restoredAt: at + 12_000,
    evidence: [],
    outcome: 'reverted',
  };
  const state: WatchState = {
    stage: 'reverted',
    modelId: 'mdl1',
    modelName: 'sentiment',
    environment: 'production',
    watchedDeploymentId: 'dep1',
    mode: 'automatic',
    settings: defaultWatchSettings,
    lastObservations: [
      { at: at - 2_000, status: 'UNHEALTHY', servingDeploymentId: 'dep2', bad: true, reasons: ['status UNHEALTHY'] },
      {
        at: at - 1_000,
        status: 'UNHEALTHY',
        servingDeploymentId: 'dep2',
        requests: 40,
        errorRate: 0.25,
        p95Ms: 80,
        bad: true,
        reasons: ['status UNHEALTHY', '5xx 25 %'],
      },
    ],
    consecutiveBad: 0,
    incidents: [incident],
    rejectedSignals: [{ at, problem: '"reason" is required (a non-empty string)' }],
    watchingSince: at - 60_000,
    releaseId: 'release-sentiment-production',
  };

  it('summarises the watched deployment and its fallback in one line', () => {
    expect(watcherSummary(watchInput)).toBe('watch sentiment in production: dep2 (falls back to dep1)');
    expect(watcherSummary({ ...watchInput, fallbackDeploymentId: undefined })).toContain('nothing to fall back to');
  });

  it('tells how to roll back from the UI, and links the release', () => {
    const details = watcherStaticDetails(watchInput, 'ns');
    expect(details).toContain('*More Actions → Send a Signal*, signal `rollback`');
    expect(details).toContain('`{"reason": "why", "to": "<deployment id>"}`');
    expect(details).toContain('- probe: case "positive review", status 200');
    expect(details).toContain('(/namespaces/ns/workflows/release-sentiment-production)');
  });

  it('shows the mode, the newest observations first, the incidents and the ignored signals', () => {
    const details = watcherDetails(state, 'ns');
    expect(details.split('\n')[0]).toBe('### Reverted · sentiment in production');
    expect(details).toContain('- Mode: automatic revert');
    const rows = details.split('\n').filter((l) => /^\d\d:\d\d:\d\d/.test(l));
    expect(rows[0]).toMatch(/^08:48:29\s+UNHEALTHY\s+40\s+25 %\s+80 ms\s+–\s+BAD$/);
    expect(details).toContain('Bad at 08:48:29: status UNHEALTHY; 5xx 25 %');
    expect(rows[1]).toMatch(/^08:48:28\s+UNHEALTHY/);
    expect(details).toContain('- **#1 automatic revert** at 2026-12-01 08:48:30 UTC: `dep2` → `dep1`, **reverted** at');
    expect(details).toContain('(in 12 s)');
    expect(details).toContain('"reason" is required');
    expect(watcherDetails({ ...state, mode: 'paused', pausedReason: 'maintenance' }, 'ns')).toContain(
      '- Mode: paused (maintenance): no automatic revert',
    );
  });

  it('says who asked for a manual rollback and why a revert failed', () => {
    expect(
      incidentLine({
        ...incident,
        kind: 'manual',
        requestedBy: 'ana',
        outcome: 'revert-failed',
        restoredAt: undefined,
        failure: 'dep1 never became ACTIVE',
      }),
    ).toBe(
      '- **#1 manual rollback by ana** at 2026-12-01 08:48:30 UTC: `dep2` → `dep1`, **REVERT FAILED**: dep1 never became ACTIVE. Reason: status UNHEALTHY',
    );
  });
});

describe('a rolling release in words', () => {
  const passed = {
    percent: 25,
    windowStartMs: 0,
    windowEndMs: 30_000,
    candidate: { requests: 40, errors5xx: 0, errorRate: 0, p95Ms: 21 },
    previous: { requests: 120, errors5xx: 0, errorRate: 0, p95Ms: 19 },
    share: 0.25,
    verdict: 'passed' as const,
    reasons: [],
    overHardLimit: false,
  };
  const failed = {
    ...passed,
    percent: 50,
    candidate: { requests: 60, errors5xx: 12, errorRate: 0.2, p95Ms: 30 },
    verdict: 'failed' as const,
    reasons: ['5xx share 20% of 60 requests at 50% traffic, over 5%'],
  };

  it('tells each step in a line, with its numbers and verdict', () => {
    expect(stepLine(passed)).toBe(
      '25% step passed: candidate 40 request(s) (25 % of traffic), 5xx 0 %, p95 21 ms; previous 5xx 0 %, p95 19 ms',
    );
    expect(stepLine(failed)).toMatch(/^50% step FAILED \(5xx share 20% of 60 requests at 50% traffic, over 5%\)/);
  });

  it('shows the ramp as a table with the failed step in words', () => {
    const text = rolloutSection({
      heldPerStep: true,
      windowMs: 30_000,
      enabledRolling: false,
      steps: [passed, failed],
      state: 'cancelled',
    }).join('\n');
    expect(text).toContain('**Rolling promotion: cancelled**, each step analysed for 30 s');
    expect(text).toMatch(/pass +25% +30 s +40 +0 % +21 ms/);
    expect(text).toMatch(/FAIL +50% +30 s +60 +20 % +30 ms/);
    expect(text).toContain('- 5xx share 20% of 60 requests at 50% traffic, over 5%');
  });
});
