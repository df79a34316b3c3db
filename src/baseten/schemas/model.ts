import { z } from 'zod';

/** ModelV1. */
export const modelSchema = z.looseObject({
  id: z.string(),
  created_at: z.string(),
  name: z.string(),
  deployments_count: z.int(),
  production_deployment_id: z.string().nullable(),
  development_deployment_id: z.string().nullable(),
  instance_type_name: z.string(),
  team_name: z.string(),
});
export type Model = z.infer<typeof modelSchema>;

/** ModelsV1. */
export const modelsSchema = z.looseObject({ models: z.array(modelSchema) });
export type Models = z.infer<typeof modelsSchema>;
