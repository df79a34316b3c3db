import { z } from 'zod';
import type { CandidateKind } from '../../activities/push-types';
import { durationLimitProblem, parseDuration } from '../../validation/duration';
import { UsageError } from '../../common/usage-error';

/** Environment names as Baseten shows them (`production`, `staging`, ...). */
const namePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const labelKeyPattern = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/;

export function parseCandidate(text: string): CandidateKind | undefined {
  if (text === 'published' || text === 'development') return { kind: text };
  const environment = /^environment:(.+)$/.exec(text)?.[1];
  return environment && namePattern.test(environment) ? { kind: 'environment', name: environment } : undefined;
}

export function parseLabels(entries: readonly string[], ctx: z.RefinementCtx): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const entry of entries) {
    const separator = entry.indexOf('=');
    const key = separator > 0 ? entry.slice(0, separator) : '';
    if (!labelKeyPattern.test(key)) {
      ctx.addIssue({
        code: 'custom',
        message: `'${entry}': expected key=value with a key of letters, digits, . _ / -`,
      });
    } else if (key in labels) {
      ctx.addIssue({ code: 'custom', message: `'${entry}': label ${key} is given twice` });
    } else {
      labels[key] = entry.slice(separator + 1);
    }
  }
  return labels;
}

/** A duration flag (`10s`, `2m`): whole milliseconds. */
const durationFlag = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `'${text}': expected a duration such as 10s or 2m` });
    return z.NEVER;
  }
  const tooLong = durationLimitProblem(ms);
  if (tooLong) {
    ctx.addIssue({ code: 'custom', message: `'${text}': ${tooLong}` });
    return z.NEVER;
  }
  return ms;
});

/** The options of `baseten-cd deploy` as commander hands them over, checked before anything starts. */
export const deployOptionsSchema = z
  .object({
    modelName: z.string().trim().min(1, 'must not be empty').optional(),
    environment: z
      .string()
      .regex(namePattern, 'expected a name of letters, digits, _ and - (such as production)')
      .default('production'),
    candidate: z
      .string()
      .default('published')
      .transform((text, ctx) => {
        const candidate = parseCandidate(text);
        if (!candidate) {
          ctx.addIssue({ code: 'custom', message: `'${text}': expected published, development or environment:<name>` });
          return z.NEVER;
        }
        return candidate;
      }),
    validation: z.string().min(1, 'must not be empty').optional(),
    deploymentName: z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters').optional(),
    label: z.array(z.string()).default([]).transform(parseLabels),
    gitCommit: z
      .string()
      .regex(/^[0-9a-fA-F]{7,40}$/, 'expected a git commit sha (7 to 40 hex digits)')
      .optional(),
    approveRequired: z.boolean().default(false),
    approvalTimeout: z
      .string()
      .optional()
      .transform((text, ctx) => {
        if (text === undefined) return undefined;
        const ms = parseDuration(text);
        if (ms === undefined) {
          ctx.addIssue({ code: 'custom', message: `'${text}': expected a duration such as 30m or 24h` });
        }
        return ms;
      }),
    supersede: z.boolean().default(false),
    cleanup: z.boolean().default(false),
    wait: z.boolean().default(true),
    json: z.boolean().default(false),
    watch: z.boolean().default(true),
    watchInterval: durationFlag.optional(),
    unhealthyAfter: z.coerce
      .number({ error: 'expected a whole number of observations, 1 to 100' })
      .int('expected a whole number of observations, 1 to 100')
      .min(1, 'expected a whole number of observations, 1 to 100')
      .max(100, 'expected a whole number of observations, 1 to 100')
      .optional(),
    maxErrorRate: z.coerce
      .number({ error: 'expected a share of requests from 0 to 1, such as 0.05' })
      .min(0, 'expected a share of requests from 0 to 1, such as 0.05')
      .max(1, 'expected a share of requests from 0 to 1, such as 0.05')
      .optional(),
    maxP95: durationFlag.optional(),
    rollout: z.enum(['rolling', 'environment'], { error: 'expected rolling or environment' }).default('environment'),
  })
  .superRefine((options, ctx) => {
    if (!options.approveRequired && options.approvalTimeout !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['approvalTimeout'], message: 'only applies with --approve-required' });
    }
    if (!options.watch) {
      for (const key of ['watchInterval', 'unhealthyAfter', 'maxErrorRate', 'maxP95'] as const) {
        if (options[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'does not go with --no-watch' });
      }
    }
  })
  .transform(({ watch, watchInterval, unhealthyAfter, maxErrorRate, maxP95, rollout, ...rest }) => ({
    ...rest,
    // `environment`: rolling when the environment's promotion settings say so, else all at once.
    ...(rollout === 'rolling' ? { rollout } : {}),
    // The watcher's settings from flags; the validation file's `watch` section and the defaults fill the rest.
    watch: {
      enabled: watch,
      ...(watchInterval !== undefined ? { intervalMs: watchInterval } : {}),
      ...(unhealthyAfter !== undefined ? { unhealthyAfter } : {}),
      ...(maxErrorRate !== undefined ? { maxErrorRate } : {}),
      ...(maxP95 !== undefined ? { maxP95Ms: maxP95 } : {}),
    },
  }));

/** How long a release waits at the approval gate when --approval-timeout is not given. */
export const defaultApprovalTimeoutMs = 24 * 3_600_000;

export type DeployOptions = z.output<typeof deployOptionsSchema>;

/** `approvalTimeout` → `--approval-timeout`: issues name the flag the user typed. */
function flagName(key: PropertyKey | undefined): string {
  return typeof key === 'string' ? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'options';
}

/** Parses commander's options; the first problem becomes one UsageError line naming the flag. */
export function parseDeployOptions(raw: unknown): DeployOptions {
  const parsed = deployOptionsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UsageError(`${flagName(issue?.path[0])}: ${issue?.message ?? 'invalid'}`);
}
