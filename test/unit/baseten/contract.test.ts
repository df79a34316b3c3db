import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { z } from 'zod';
import {
  activateResponseSchema,
  autoscalingSettingsSchema,
  cancelPromotionResponseSchema,
  createEnvironmentRequestSchema,
  deactivateResponseSchema,
  deploymentMetricsSchema,
  deploymentSchema,
  deploymentStatuses,
  deploymentsSchema,
  environmentSchema,
  environmentsSchema,
  getLogsResponseSchema,
  inProgressPromotionSchema,
  instanceTypeSchema,
  metricDescriptorSchema,
  metricValueSetSchema,
  modelSchema,
  modelsSchema,
  promoteRequestSchema,
  promoteToEnvironmentRequestSchema,
  promotionSettingsSchema,
  signalPromotionResponseSchema,
  updateAutoscalingSettingsResponseSchema,
  updateAutoscalingSettingsSchema,
  updateEnvironmentRequestSchema,
} from '../../../src/baseten';
import { componentSchema, loadManagementSpec, managementSpecPath, type JsonSchema } from '../../../src/baseten/spec';
import { sampleFromSchema, type SampleOptions } from './spec-sample';

// The official spec is the contract: these checks fail when Baseten's schema and our parsers drift apart.

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

const contracts: [string, z.ZodObject][] = [
  ['ModelV1', modelSchema],
  ['ModelsV1', modelsSchema],
  ['DeploymentV1', deploymentSchema],
  ['DeploymentsV1', deploymentsSchema],
  ['AutoscalingSettingsV1', autoscalingSettingsSchema],
  ['EnvironmentV1', environmentSchema],
  ['EnvironmentsV1', environmentsSchema],
  ['InProgressPromotionV1', inProgressPromotionSchema],
  ['PromotionSettingsV1', promotionSettingsSchema],
  ['InstanceTypeV1', instanceTypeSchema],
  ['ActivateResponseV1', activateResponseSchema],
  ['DeactivateResponseV1', deactivateResponseSchema],
  ['UpdateAutoscalingSettingsResponseV1', updateAutoscalingSettingsResponseSchema],
  ['GetLogsResponseV1', getLogsResponseSchema],
  ['GetDeploymentMetricsResponseV1', deploymentMetricsSchema],
  ['DeploymentMetricDescriptorV1', metricDescriptorSchema],
  ['DeploymentMetricValueSetV1', metricValueSetSchema],
  ['CancelPromotionResponseV1', cancelPromotionResponseSchema],
  ['SignalPromotionResponseV1', signalPromotionResponseSchema],
  // Request bodies: what we send must be what the spec accepts.
  ['PromoteRequestV1', promoteRequestSchema],
  ['PromoteToEnvironmentRequestV1', promoteToEnvironmentRequestSchema],
  ['CreateEnvironmentRequestV1', createEnvironmentRequestSchema],
  ['UpdateAutoscalingSettingsV1', updateAutoscalingSettingsSchema],
  ['UpdateEnvironmentRequestV1', updateEnvironmentRequestSchema],
];

/** The spec's required list of a component (absent means none). */
function specRequired(name: string): string[] {
  return [...((componentSchema(name).required ?? []) as string[])].sort();
}

const variants: [string, SampleOptions][] = [
  ['every field, values filled', { optional: true, preferNull: false }],
  ['required fields only, nullable ones null', { optional: false, preferNull: true }],
];

/** Keys a zod object cannot do without. */
function requiredKeys(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([key]) => key)
    .sort();
}

/** The spec sample, checked against the spec itself first, so that a generator bug cannot pass silently. */
function specSample(name: string, options: SampleOptions): Record<string, unknown> {
  const schema = componentSchema(name);
  const sample = sampleFromSchema(schema, options) as Record<string, unknown>;
  const validate = ajv.compile(schema);
  expect({ valid: validate(sample), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
  return sample;
}

describe(`client parsers against ${managementSpecPath}`, () => {
  it('reads the official management OpenAPI document', () => {
    expect(loadManagementSpec().openapi).toMatch(/^3\./);
  });

  it('has exactly the 14 DeploymentStatusV1 values of the spec, in order', () => {
    const spec = componentSchema('DeploymentStatusV1');
    expect(deploymentStatuses.options).toEqual(spec.enum);
    expect(deploymentStatuses.options).toHaveLength(14);
  });

  describe.each(contracts)('%s', (name, parser) => {
    it("requires exactly the spec's required fields", () => {
      expect(requiredKeys(parser)).toEqual(specRequired(name));
    });

    it.each(variants)('accepts a sample built from the spec (%s)', (_label, options) => {
      const sample = specSample(name, options);
      // Defaults may add fields (ActivateResponseV1.success); nothing the spec sent may be lost or changed.
      expect(parser.parse(sample)).toMatchObject(sample);
    });

    it('rejects a body missing any one required field, naming that field', () => {
      const sample = specSample(name, variants[0]![1]);
      for (const key of specRequired(name)) {
        const { [key]: _removed, ...broken } = sample;
        const result = parser.safeParse(broken);
        expect(result.success).toBe(false);
        expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(key);
      }
    });
  });

  it('rejects a deployment with a status the spec does not define, as the spec itself does', () => {
    const broken = { ...specSample('DeploymentV1', variants[0]![1]), status: 'EXPLODED' };
    expect(ajv.validate(componentSchema('DeploymentV1'), broken)).toBe(false);
    const result = deploymentSchema.safeParse(broken);
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['status'], code: 'invalid_value' })]);
  });

  it('rejects an environment whose current deployment has an unknown status', () => {
    const sample = specSample('EnvironmentV1', variants[0]![1]);
    const broken = { ...sample, current_deployment: { ...(sample.current_deployment as JsonSchema), status: 'NOPE' } };
    expect(environmentSchema.safeParse(broken).error?.issues[0]?.path).toEqual(['current_deployment', 'status']);
  });
});
