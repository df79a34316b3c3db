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
});
export type PredictionFaultBody = z.input<typeof predictionFaultSchema>;

export const nextBuildFailureSchema = z.object({
  message: z.string().min(1).default('Build failed (injected fault)'),
});

export const managementFaultSchema = z
  .object({
    status: z
      .number()
      .int()
      .refine((s) => s === 429 || (s >= 500 && s <= 599), 'must be 429 or a 5xx status'),
    count: z.number().int().positive().optional(),
    durationMs: z.number().int().positive().optional(),
    retryAfterSeconds: z.number().int().positive().optional(),
  })
  .refine((f) => (f.count === undefined) !== (f.durationMs === undefined), 'give exactly one of count and durationMs');
export type ManagementFaultBody = z.input<typeof managementFaultSchema>;

export const requestLogQuerySchema = z.object({
  method: z.string().optional(),
  path: z.string().optional(),
  since: z.iso.datetime().optional(),
});
