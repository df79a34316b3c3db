import type { BasetenApi } from '../../../src/activities/deps';
import { NotFoundError } from '../../../src/baseten/errors';
import type {
  Deployment,
  DeploymentMetrics,
  DeploymentStatus,
  Environment,
  InProgressPromotion,
  Model,
} from '../../../src/baseten/schemas';

export function deployment(id: string, status: DeploymentStatus, extra: Partial<Deployment> = {}): Deployment {
  return {
    id,
    created_at: '2026-01-01T00:00:00Z',
    name: id,
    model_id: 'm1',
    is_production: false,
    is_development: false,
    status,
    active_replica_count: status === 'ACTIVE' ? 1 : 0,
    autoscaling_settings: null,
    instance_type_name: null,
    environment: null,
    ...extra,
  };
}

export interface FakeEnvironment {
  current: string | null;
  candidate?: string;
  promotion?: InProgressPromotion;
}

/**
 * A typed in-memory Baseten for activity unit tests: one model, deployments whose status follows a
 * scripted sequence (one step per read), environments (production among them), and every call recorded.
 */
export class FakeBaseten {
  readonly statuses = new Map<string, DeploymentStatus[]>();
  readonly environments = new Map<string, FakeEnvironment>();
  readonly calls: string[] = [];
  /** What the metrics endpoint answers (a summary of real traffic). */
  metrics: DeploymentMetrics = trafficMetrics({ '2xx': 0, '4xx': 0, '5xx': 0 });
  logs = ['building wheel', 'ERROR: No matching distribution found for nosuchpackage'];

  script(id: string, ...statuses: DeploymentStatus[]): void {
    this.statuses.set(id, statuses);
  }

  /** The production environment's current deployment. */
  get productionId(): string | null {
    return this.environments.get('production')?.current ?? null;
  }

  set productionId(id: string | null) {
    this.environments.set('production', { ...this.environments.get('production'), current: id });
  }

  private read(id: string): Deployment {
    const sequence = this.statuses.get(id);
    if (!sequence?.length) throw new NotFoundError(404, { error: 'not found' }, `deployment ${id} not found`, {});
    const status = sequence.length > 1 ? (sequence.shift() as DeploymentStatus) : (sequence[0] as DeploymentStatus);
    return deployment(id, status, { is_production: id === this.productionId });
  }

  private environment(name: string): Environment {
    const env = this.environments.get(name);
    if (!env) throw new NotFoundError(404, { error: 'no such environment' }, `environment ${name} not found`, {});
    return {
      name,
      created_at: '2026-01-01T00:00:00Z',
      model_id: 'm1',
      current_deployment: env.current ? this.read(env.current) : null,
      candidate_deployment: env.candidate ? this.read(env.candidate) : null,
      in_progress_promotion: env.promotion ?? null,
    } as Environment;
  }

  readonly api: BasetenApi = {
    getModel: async (modelId) => {
      this.calls.push(`getModel ${modelId}`);
      return { id: modelId, production_deployment_id: this.productionId, development_deployment_id: null } as Model;
    },
    getDeployment: async (_modelId, id) => {
      this.calls.push(`getDeployment ${id}`);
      return this.read(id);
    },
    getEnvironment: async (_modelId, name) => {
      this.calls.push(`getEnvironment ${name}`);
      return this.environment(name);
    },
    promoteDeployment: async (_modelId, id) => {
      this.calls.push(`promoteDeployment ${id}`);
      if (id === 'development') {
        this.script('built1', 'BUILDING', 'ACTIVE');
        // The new deployment becomes production once it is built: until then it is the pending candidate.
        this.environments.set('production', {
          current: this.productionId,
          candidate: 'built1',
          promotion: { status: 'RELEASING', percent_traffic_to_new_version: 0 },
        });
        return this.read('built1');
      }
      this.productionId = id;
      return this.read(id);
    },
    promoteToEnvironment: async (_modelId, name, body) => {
      this.calls.push(`promoteToEnvironment ${name} ${body.deployment_id}`);
      this.environments.set(name, { current: body.deployment_id });
      return this.read(body.deployment_id);
    },
    activateDeployment: async (_modelId, id) => {
      this.calls.push(`activateDeployment ${id}`);
      this.script(id, 'DEPLOYING', 'ACTIVE');
      return { success: true };
    },
    deactivateDeployment: async (_modelId, id) => {
      this.calls.push(`deactivateDeployment ${id}`);
      this.script(id, 'INACTIVE');
      return { success: true };
    },
    cancelPromotion: async (_modelId, name) => {
      this.calls.push(`cancelPromotion ${name}`);
      const env = this.environments.get(name);
      if (env?.promotion) env.promotion = { ...env.promotion, status: 'CANCELED' };
      if (env) delete env.candidate;
      return { status: 'CANCELED', message: 'cancelled' };
    },
    forceCancelPromotion: async (_modelId, name) => {
      this.calls.push(`forceCancelPromotion ${name}`);
      const env = this.environments.get(name);
      if (env?.promotion) env.promotion = { ...env.promotion, status: 'CANCELED', percent_traffic_to_new_version: 0 };
      if (env) delete env.candidate;
      return { success: true };
    },
    pausePromotion: async (_modelId, name) => {
      this.calls.push(`pausePromotion ${name}`);
      return { success: true };
    },
    resumePromotion: async (_modelId, name) => {
      this.calls.push(`resumePromotion ${name}`);
      return { success: true };
    },
    forceRollForwardPromotion: async (_modelId, name) => {
      this.calls.push(`forceRollForwardPromotion ${name}`);
      return { success: true };
    },
    updateEnvironment: async (_modelId, name) => {
      this.calls.push(`updateEnvironment ${name}`);
      return { status: 'ACCEPTED', message: 'accepted' };
    },
    getDeploymentMetrics: async (_modelId, id) => {
      this.calls.push(`getDeploymentMetrics ${id}`);
      return this.metrics;
    },
    getDeploymentLogs: async () => this.logs.map((message) => ({ timestamp: '0', message, replica: null })),
    predict: async () => ({ status: 200, body: { label: 'positive' }, latencyMs: 3 }),
    wake: async (_modelId, target) => {
      this.calls.push(`wake ${target.kind === 'deployment' ? target.deploymentId : target.kind}`);
    },
  };
}

/** A SUMMARY metrics response: requests by status class, and the response time quantiles (seconds). */
export function trafficMetrics(
  requests: Record<'2xx' | '4xx' | '5xx', number>,
  latencySeconds: { p50?: number; p95?: number } = {},
): DeploymentMetrics {
  return {
    start_epoch_millis: 0,
    end_epoch_millis: 60_000,
    mode: 'SUMMARY',
    step_seconds: null,
    metric_descriptors: [
      {
        name: 'baseten_inference_requests_total',
        unit_hint: 'COUNT',
        kind: 'COUNTER',
        label_sets: [{ status: '2xx' }, { status: '4xx' }, { status: '5xx' }],
      },
      {
        name: 'baseten_end_to_end_response_time_seconds',
        unit_hint: 'SECONDS',
        kind: 'HISTOGRAM',
        label_sets: [{ quantile: '0.5' }, { quantile: '0.95' }],
      },
    ],
    metric_values: [
      {
        start_epoch_millis: 0,
        values: [
          [requests['2xx'], requests['4xx'], requests['5xx']],
          [latencySeconds.p50 ?? null, latencySeconds.p95 ?? null],
        ],
      },
    ],
  };
}
