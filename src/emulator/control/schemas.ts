import { z } from 'zod';

/** Bodies of the /_emulator control endpoints (shared with the typed client). */

export const createDeploymentSchema = z.object({
  trussDir: z.string().min(1),
  modelName: z.string().min(1).optional(),
  modelId: z.string().min(1).optional(),
  isDevelopment: z.boolean().optional(),
  environmentName: z.string().min(1).optional(),
  deploymentName: z.string().min(1).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});
export type CreateDeploymentBody = z.input<typeof createDeploymentSchema>;

export const failSchema = z.object({ message: z.string().min(1).default('Deployment failed (injected fault)') });

export const predictionFaultSchema = z.object({
  latencyMs: z.number().int().min(0).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  fromTrafficPercent: z.number().int().min(0).max(100).optional(),
});
export type PredictionFaultBody = z.input<typeof predictionFaultSchema>;

export const nextBuildFailureSchema = z.object({
  message: z.string().min(1).default('Build failed (injected fault)'),
});

/** Which management calls a fault takes (./management-faults FaultSelection), shared by every management fault. */
const selection = {
  method: z
    .string()
    .regex(/^[A-Za-z]+$/, 'must be an HTTP method such as POST')
    .transform((m) => m.toUpperCase())
    .optional(),
  path: z
    .string()
    .regex(/^[/*]/, 'must be a path pattern such as "/v1/models/*/deployments/*/promote" or "**/promote"')
    .optional(),
  rate: z.number().gt(0).max(1).optional(),
  burst: z.number().int().min(1).max(100).optional(),
  count: z.number().int().positive().optional(),
  durationMs: z.number().int().positive().optional(),
};

/** A fault is used up by count or by time, not both. */
function atMostOneLimit(f: { count?: number; durationMs?: number }): boolean {
  return f.count === undefined || f.durationMs === undefined;
}
const atMostOneLimitError = { message: 'give at most one of count and durationMs', path: ['count'] };

/** The longest a slow or held answer may be kept back. @unit ms */
const maxDelayMs = 10 * 60_000;

/** The 4xx answers no retry can fix, which a client must report at once (bad request, key, permission, id, body). */
export const permanentErrorStatuses = [400, 401, 403, 404, 422] as const;

export const managementFaultSchema = z
  .strictObject({
    status: z
      .number()
      .int()
      .refine(
        (s) => s === 429 || (s >= 500 && s <= 599) || (permanentErrorStatuses as readonly number[]).includes(s),
        `must be 429, a 5xx status, or one of ${permanentErrorStatuses.join(', ')}`,
      ),
    retryAfterSeconds: z.number().int().positive().optional(),
    /** The error body's message. @default "Injected fault: HTTP <status>" */
    message: z.string().min(1).max(500).optional(),
    ...selection,
  })
  .refine(atMostOneLimit, atMostOneLimitError);
export type ManagementFaultBody = z.input<typeof managementFaultSchema>;

export const slowFaultSchema = z
  .strictObject({
    delayMs: z.number().int().positive().max(maxDelayMs),
    apply: z.enum(['on-arrival', 'after-delay']).default('on-arrival'),
    ...selection,
  })
  .refine(atMostOneLimit, atMostOneLimitError);
export type SlowFaultBody = z.input<typeof slowFaultSchema>;

export const dropFaultSchema = z
  .strictObject({ when: z.enum(['before-apply', 'after-apply']), ...selection })
  .refine(atMostOneLimit, atMostOneLimitError);
export type DropFaultBody = z.input<typeof dropFaultSchema>;

export const holdFaultSchema = z
  .strictObject({ holdMs: z.number().int().positive().max(maxDelayMs).optional(), ...selection })
  .refine(atMostOneLimit, atMostOneLimitError);
export type HoldFaultBody = z.input<typeof holdFaultSchema>;

export const releaseHeldSchema = z.strictObject({ id: z.string().min(1).optional() });

export const requestLogQuerySchema = z.object({
  method: z.string().optional(),
  path: z.string().optional(),
  since: z.iso.datetime().optional(),
});
