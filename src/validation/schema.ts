import { z } from 'zod';
import { DURATION_HINT, durationLimitProblem, parseDuration } from './duration';
import { parsePath } from './json-path';
import { compileJsonSchema } from './json-schema';

/**
 * The validation file (YAML), as zod checks it before anything starts. Durations are normalised to whole
 * milliseconds and every key keeps its name, so the parsed ValidationSpec is plain JSON (it travels in
 * workflow input) and parsing it again gives the same value.
 */

/** `300ms`, `2s`, `10m`, `1h` or a number of milliseconds; parsed to integer milliseconds. */
export const durationSchema = z.union([z.number(), z.string()], { error: DURATION_HINT }).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `${DURATION_HINT}, got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  const tooLong = durationLimitProblem(ms);
  if (tooLong) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)}: ${tooLong}` });
    return z.NEVER;
  }
  return ms;
});

const jsonSchemaObject = z.record(z.string(), z.json()).superRefine((schema, ctx) => {
  try {
    compileJsonSchema(schema);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `invalid JSON Schema: ${(err as Error).message}` });
  }
});

const valuePath = z.string().superRefine((path, ctx) => {
  try {
    parsePath(path);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

const valueCheckFields = z.strictObject({
  /** Where in the output: `label`, `items[0].score`, `$` for the whole output. */
  path: valuePath,
  /** The value there is deeply equal to this. */
  equals: z.json().optional(),
  /** A string holds this substring, an array holds this element, or an object holds these keys and values. */
  contains: z.json().optional(),
  /** The number there is within `tolerance` of this. */
  approx: z.number().optional(),
  tolerance: z.number().nonnegative().optional(),
});

export type ValueCheck =
  | { path: string; equals: z.core.util.JSONType }
  | { path: string; contains: z.core.util.JSONType }
  | { path: string; approx: number; tolerance: number };

const valueCheck = valueCheckFields
  .superRefine((check, ctx) => {
    const given = (['equals', 'contains', 'approx'] as const).filter((key) => check[key] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of equals, contains, approx' });
    } else if (check.approx !== undefined && check.tolerance === undefined) {
      ctx.addIssue({ code: 'custom', path: ['tolerance'], message: 'approx needs a tolerance, e.g. tolerance: 0.05' });
    } else if (check.approx === undefined && check.tolerance !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['tolerance'], message: 'tolerance only goes with approx' });
    }
  })
  .transform((check): ValueCheck => {
    if (check.equals !== undefined) return { path: check.path, equals: check.equals };
    if (check.contains !== undefined) return { path: check.path, contains: check.contains };
    return { path: check.path, approx: check.approx ?? 0, tolerance: check.tolerance ?? 0 };
  });

const expectSchema = z.strictObject({
  /** Expected HTTP status of the predict response. */
  status: z.number().int().min(100).max(599).default(200),
  /** JSON Schema the output must satisfy; compiled when the file is read, so a bad schema is a file error. */
  schema: jsonSchemaObject.optional(),
  values: z.array(valueCheck).default([]),
});

const caseSchema = z.strictObject({
  name: z.string().trim().min(1),
  /** The predict request body. */
  input: z.json(),
  expect: expectSchema.default({ status: 200, values: [] }),
  /** Per-request timeout for this case. @default 60s */
  timeout: durationSchema.default(60_000),
});

const warmupSchema = z.strictObject({
  /** Requests sent before measuring; the first one retries until the candidate answers. */
  requests: z.number().int().min(0).max(1_000).default(3),
  /** How long the candidate may take to answer at all (cold start included). */
  timeout: durationSchema.default(600_000),
});

const latencySchema = z.strictObject({
  samples: z.number().int().min(1).max(10_000).default(20),
  concurrency: z.number().int().min(1).max(64).default(1),
  /** Budget for the median latency of successful samples. */
  p50: durationSchema.optional(),
  /** Budget for the 95th percentile latency of successful samples. */
  p95: durationSchema.optional(),
  /** Share of samples (0..1) that may fail (non-2xx or no answer). */
  maxErrorRate: z.number().min(0).max(1).default(0),
  /** Per-request timeout while sampling. */
  timeout: durationSchema.default(60_000),
});

const compareSchema = z.strictObject({
  /** Candidate latency / production latency at `percentile` must not exceed this. */
  maxLatencyRatio: z.number().positive(),
  percentile: z.enum(['p50', 'p95']).default('p50'),
});

/** The production watcher's settings; what is left out takes the watcher's defaults (src/workflows/watch-rules.ts). */
const watchSchema = z.strictObject({
  /** Time between two observations of production. @default 10s */
  interval: durationSchema.optional(),
  /** Consecutive bad observations before production is reverted. @default 2 */
  unhealthyAfter: z.number().int().min(1).max(100).optional(),
  /** The 5xx share of real traffic (0..1) above which an observation is bad. @default 0.05 */
  maxErrorRate: z.number().min(0).max(1).optional(),
  /** The p95 latency of real traffic above which an observation is bad. @default not judged */
  maxP95: durationSchema.optional(),
  /** Real traffic is judged only over a window with at least this many requests. @default 20 */
  minRequests: z.number().int().min(1).max(1_000_000).optional(),
  /** The window of real traffic each observation judges. @default 60s */
  window: durationSchema.optional(),
  probe: z
    .strictObject({
      /** Name of a case in `cases` sent as the synthetic probe. */
      case: z.string(),
      /** A probe slower than this fails. */
      maxLatency: durationSchema.optional(),
    })
    .optional(),
});

/**
 * How a rolling release analyses each traffic step (`deploy --rollout rolling`, or an environment whose promotion
 * settings say rolling). What is left out follows the latency budget and the comparison with production.
 */
const rolloutSchema = z.strictObject({
  /** How long each traffic step is analysed; Baseten's promotion is paused for it when its steps are shorter. */
  window: durationSchema.default(30_000),
  /** The candidate's 5xx share (0..1) over a step's window above which the step fails. @default 0.05 */
  maxErrorRate: z.number().min(0).max(1).default(0.05),
  /** Over this 5xx share the promotion is force-cancelled at once instead of ramping traffic back. @default 0.5 */
  hardErrorRate: z.number().min(0).max(1).default(0.5),
  /** The candidate's p95 over a step above which it fails. @default latency.p95, else not judged */
  maxP95: durationSchema.optional(),
  /** The candidate's p95 / the previous deployment's over the same window. @default compareWithProduction's ratio */
  maxLatencyRatio: z.number().positive().optional(),
  /** With fewer candidate requests than this in a window, a probe of the candidate decides. @default 10 */
  minRequests: z.number().int().min(1).max(1_000_000).default(10),
  /** The case sent as that probe. @default the first case */
  probe: z.string().optional(),
});

export const validationSpecSchema = z
  .strictObject({
    warmup: warmupSchema.default({ requests: 3, timeout: 600_000 }),
    cases: z.array(caseSchema).min(1, { error: 'give at least one case' }),
    latency: latencySchema.optional(),
    compareWithProduction: compareSchema.optional(),
    watch: watchSchema.optional(),
    rollout: rolloutSchema.optional(),
  })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    spec.cases.forEach((c, i) => {
      if (seen.has(c.name))
        ctx.addIssue({ code: 'custom', path: ['cases', i, 'name'], message: `duplicate case name "${c.name}"` });
      seen.add(c.name);
    });
    if (spec.compareWithProduction && !spec.latency) {
      ctx.addIssue({
        code: 'custom',
        path: ['compareWithProduction'],
        message: 'needs a latency section (the comparison uses its samples and concurrency)',
      });
    }
    const probe = spec.watch?.probe?.case;
    if (probe !== undefined && !seen.has(probe)) {
      ctx.addIssue({
        code: 'custom',
        path: ['watch', 'probe', 'case'],
        message: `no case named "${probe}" (cases: ${[...seen].map((n) => `"${n}"`).join(', ')})`,
      });
    }
    const rolloutProbe = spec.rollout?.probe;
    if (rolloutProbe !== undefined && !seen.has(rolloutProbe)) {
      ctx.addIssue({
        code: 'custom',
        path: ['rollout', 'probe'],
        message: `no case named "${rolloutProbe}" (cases: ${[...seen].map((n) => `"${n}"`).join(', ')})`,
      });
    }
    if (spec.rollout && spec.rollout.hardErrorRate < spec.rollout.maxErrorRate) {
      ctx.addIssue({ code: 'custom', path: ['rollout', 'hardErrorRate'], message: 'must be at least maxErrorRate' });
    }
  });

/** A parsed validation file: plain JSON, durations in milliseconds. */
export type ValidationSpec = z.output<typeof validationSpecSchema>;
export type ValidationCase = ValidationSpec['cases'][number];
export type LatencyBudget = NonNullable<ValidationSpec['latency']>;
