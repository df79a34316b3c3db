import { BasetenClient, type BasetenClientOptions } from '../../../src/baseten';
import { defaultAutoscaling, emulatorInstanceType } from '../../../src/emulator/state/defaults';
import type { HttpTestServer } from '../../support/http-test-server';

export const apiKey = 'sk-test-NEVER-LOG-ME-1234';

/** A client pointed at the test server, with no retries and no real waiting unless a test asks for them. */
export function clientFor(server: HttpTestServer, options: BasetenClientOptions = {}): BasetenClient {
  return new BasetenClient({
    apiKey,
    managementUrl: server.url,
    inferenceUrl: `${server.url}/model-{model_id}`,
    maxRetries: 0,
    logger: { warn: () => undefined },
    sleep: async () => undefined,
    ...options,
  });
}

export const model = {
  id: 'abc1d2ef',
  created_at: '2026-08-01T12:00:00Z',
  name: 'sentiment',
  deployments_count: 2,
  production_deployment_id: 'q48rmd3',
  development_deployment_id: null,
  instance_type_name: '1x2',
  team_name: 'ml',
};

export const deployment = {
  id: 'q48rmd3',
  created_at: '2026-08-01T12:00:00Z',
  name: 'deployment-3',
  model_id: 'abc1d2ef',
  is_production: false,
  is_development: false,
  status: 'BUILDING',
  active_replica_count: 0,
  autoscaling_settings: null,
  instance_type_name: '1x2',
  environment: null,
  labels: { git_sha: 'abc' },
  region: null,
};

// Baseten's documented defaults, as the emulator answers them.
const autoscaling = defaultAutoscaling();

export const environment = {
  name: 'production',
  created_at: '2026-08-01T12:00:00Z',
  model_id: 'abc1d2ef',
  current_deployment: { ...deployment, status: 'ACTIVE', is_production: true, autoscaling_settings: autoscaling },
  candidate_deployment: null,
  in_progress_promotion: null,
  autoscaling_settings: autoscaling,
  promotion_settings: { promotion_cleanup_strategy: 'SCALE_TO_ZERO', rolling_deploy: false },
  instance_type: emulatorInstanceType,
};
