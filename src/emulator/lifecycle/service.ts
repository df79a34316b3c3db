import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Faults } from '../control/faults';
import type { ResolvedOptions } from '../options';
import { defaultAutoscaling, emulatorInstanceType } from '../state/defaults';
import { newId } from '../state/ids';
import type { StateStore } from '../state/store';
import { servingStatuses, type DeploymentRecord, type DeploymentStatus, type ModelRecord } from '../state/types';
import { activeReplicaCount, deploymentView, modelView, type DeploymentV1, type ModelV1 } from '../state/views';
import { TrafficLog } from '../metrics/traffic-log';
import { ensureEnvironment } from './environments';
import { LogBook } from './log-book';
import { completePending, failPending, promote, refuseDuringRollout, type PromotionHost } from './promotion';
import { Rollouts } from './rollout';
import { DeploymentRunner } from './runner';
import { StatusEvents } from './status-events';
import { invalid, notFound } from './service-error';
import { copyTruss, peekModelName } from './truss-source';

export interface CreateDeploymentInput {
  /** An existing model by name, or a new one (default: config.yaml's model_name). */
  modelName?: string;
  /** An existing model by id (wins over modelName). */
  modelId?: string;
  /** An unpacked Truss; it is copied into the state dir. */
  trussDir: string;
  /** Replace the model's single development deployment. */
  isDevelopment?: boolean;
  /** Push into this environment (created if missing); it becomes current there once ACTIVE. */
  environmentName?: string;
  deploymentName?: string;
  labels?: Record<string, string>;
  /** When promoting into an environment, what happens to its previous deployment. @default true */
  scaleDownPrevious?: boolean;
}

/** Why a request cannot be served right now. */
export type ServingState =
  { ok: true } | { ok: false; reason: 'not_ready' | 'unavailable' | 'timeout'; status: DeploymentStatus };

const deploymentNamePattern = /^[0-9a-zA-Z_.-]+$/;

/** The emulated Baseten control plane: models, deployments and their lifecycle. Transport-free. */
export class EmulatorService implements PromotionHost {
  readonly logs = new LogBook();
  /** Inference requests and replica counts per deployment, for the metrics endpoint. */
  readonly traffic = new TrafficLog();
  /** Rolling promotions in progress, and which deployment serves each environment's next prediction. */
  readonly rollouts: Rollouts;
  private readonly runners = new Map<string, DeploymentRunner>();
  private readonly events = new StatusEvents();

  constructor(
    readonly store: StateStore,
    private readonly options: ResolvedOptions,
    private readonly faults: Faults,
  ) {
    this.rollouts = new Rollouts(this, options.timings.rollingStepMs);
  }

  createDeployment(input: CreateDeploymentInput): { model: ModelV1; deployment: DeploymentV1 } {
    if (input.isDevelopment && (input.environmentName || input.deploymentName))
      throw invalid('A development deployment takes no environmentName or deploymentName');
    if (input.deploymentName !== undefined && !deploymentNamePattern.test(input.deploymentName))
      throw invalid(`deploymentName "${input.deploymentName}" may only contain letters, digits, "_", "-" and "."`);
    const model = this.resolveModelForPush(input);
    const target = input.environmentName ? this.store.environment(model.id, input.environmentName) : undefined;
    if (target) refuseDuringRollout(target);
    if (input.deploymentName && this.store.deploymentsOf(model.id).some((d) => d.name === input.deploymentName))
      throw invalid(`Model ${model.id} already has a deployment named "${input.deploymentName}"`);

    const id = newId(7);
    const trussDir = path.join(this.store.stateDir, 'deployments', id, 'truss');
    copyTruss(input.trussDir, trussDir);
    if (!this.store.models.has(model.id)) {
      this.store.models.set(model.id, model);
      ensureEnvironment(this, model.id, 'production');
    }
    model.deploymentCounter += 1;
    const dep: DeploymentRecord = {
      id,
      modelId: model.id,
      name: input.isDevelopment ? 'development' : (input.deploymentName ?? `deployment-${model.deploymentCounter}`),
      createdAt: new Date().toISOString(),
      isDevelopment: input.isDevelopment ?? false,
      status: 'BUILDING',
      everActive: false,
      trussDir,
      labels: input.labels ?? null,
      autoscaling: defaultAutoscaling(),
      instanceTypeName: emulatorInstanceType.name,
      pendingPromotion: null,
    };
    if (dep.isDevelopment) this.replaceDevelopment(model, dep);
    this.store.deployments.set(id, dep);
    this.traffic.setReplicas(id, 0);
    this.placeNewDeployment(dep, input);
    this.logs.add(id, `Deployment ${dep.name} created from ${input.trussDir}`);
    this.runner(id).deploy();
    this.save();
    return { model: modelView(this.store, model), deployment: deploymentView(this.store, dep) };
  }

  getModel(modelId: string): ModelRecord {
    const model = this.store.models.get(modelId);
    if (!model) throw notFound(`Model ${modelId} not found`);
    return model;
  }

  /** `ref` is a deployment id or one of the aliases `development` and `production`. */
  getDeployment(modelId: string, ref: string): DeploymentRecord {
    const model = this.getModel(modelId);
    let id: string | null | undefined = ref;
    if (ref === 'development') id = model.developmentDeploymentId;
    else if (ref === 'production') id = this.store.environment(modelId, 'production')?.currentDeploymentId;
    const dep = id ? this.store.deployments.get(id) : undefined;
    if (!dep || dep.modelId !== modelId) {
      const what = ref === 'development' || ref === 'production' ? `no ${ref} deployment` : `no deployment ${ref}`;
      throw notFound(`Model ${modelId} has ${what}`);
    }
    return dep;
  }

  runner(deploymentId: string): DeploymentRunner {
    let runner = this.runners.get(deploymentId);
    if (!runner) {
      const dep = this.store.deployments.get(deploymentId);
      if (!dep) throw notFound(`Deployment ${deploymentId} not found`);
      runner = new DeploymentRunner(dep, {
        timings: this.options.timings,
        cacheDir: this.options.cacheDir,
        scaleToZeroAfterMs: this.options.scaleToZeroAfterMs,
        faults: this.faults,
        logs: this.logs,
        logger: this.options.logger,
        startModelProcess: this.options.startModelProcess,
        setStatus: (d, status) => this.setStatus(d, status),
        onFirstActive: (d) => {
          completePending(this, d);
          this.save();
        },
        onFailedBeforeActive: (d, message) => {
          failPending(this, d, message);
          this.save();
        },
      });
      this.runners.set(deploymentId, runner);
    }
    return runner;
  }

  log(deploymentId: string, message: string): void {
    this.logs.add(deploymentId, message);
  }

  save(): void {
    if (this.options.persistState) this.store.save();
  }

  /** Promotes by deployment (the `development` alias and dev deployments build a new published one). */
  promoteDeployment(modelId: string, ref: string, scaleDownPrevious: boolean): DeploymentRecord {
    const dep = this.getDeployment(modelId, ref);
    const env = ensureEnvironment(this, modelId, 'production');
    if (dep.isDevelopment) {
      refuseDuringRollout(env);
      const { deployment } = this.createDeployment({
        modelId,
        trussDir: dep.trussDir,
        environmentName: 'production',
        scaleDownPrevious,
      });
      return this.getDeployment(modelId, deployment.id);
    }
    promote(this, dep, env, scaleDownPrevious);
    this.save();
    return dep;
  }

  activate(modelId: string, ref: string): void {
    const dep = this.getDeployment(modelId, ref);
    if (dep.status === 'BUILD_FAILED' || dep.status === 'DEPLOY_FAILED')
      throw invalid(`Deployment ${dep.id} cannot be activated: its status is ${dep.status}`);
    this.runner(dep.id).activate();
  }

  deactivate(modelId: string, ref: string): void {
    this.runner(this.getDeployment(modelId, ref).id).deactivate();
  }

  /** Rebuilds a deployment that failed; anything else is left alone (retried: false). */
  retry(modelId: string, ref: string): { retried: boolean; reason: string | null; dep: DeploymentRecord } {
    const dep = this.getDeployment(modelId, ref);
    if (!['BUILD_FAILED', 'DEPLOY_FAILED', 'FAILED', 'BUILD_STOPPED'].includes(dep.status))
      return { retried: false, reason: `Deployment status is ${dep.status}; only failed deployments are retried`, dep };
    this.runner(dep.id).deploy();
    return { retried: true, reason: null, dep };
  }

  async deleteDeployment(modelId: string, ref: string): Promise<DeploymentRecord> {
    const dep = this.getDeployment(modelId, ref);
    const env = this.store.environmentsOf(modelId).find((e) => e.currentDeploymentId === dep.id);
    // Baseten's answer is undocumented; refusing keeps an environment from silently losing its deployment.
    if (env)
      throw invalid(`Deployment ${dep.id} is the current deployment of environment ${env.name}; promote another first`);
    await this.forgetDeployment(dep);
    this.save();
    return dep;
  }

  async deleteModel(modelId: string): Promise<void> {
    this.getModel(modelId);
    for (const dep of this.store.deploymentsOf(modelId)) await this.forgetDeployment(dep);
    for (const env of this.store.environmentsOf(modelId)) {
      this.rollouts.drop(env);
      this.store.deleteEnvironment(modelId, env.name);
    }
    this.store.models.delete(modelId);
    this.save();
  }

  /**
   * Waits until the deployment can serve, waking it from scale-to-zero (a request to a scaled-to-zero
   * deployment waits for the cold start, as on Baseten). Fails fast for deployments that are not coming up.
   */
  async awaitServing(dep: DeploymentRecord, signal?: AbortSignal): Promise<ServingState> {
    const deadline = Date.now() + this.options.timings.coldStartTimeoutMs;
    for (;;) {
      if (servingStatuses.has(dep.status)) return { ok: true };
      const runner = this.runner(dep.id);
      if (!runner.isWaking) {
        const building = !dep.everActive && ['BUILDING', 'DEPLOYING', 'LOADING_MODEL'].includes(dep.status);
        return { ok: false, reason: building ? 'not_ready' : 'unavailable', status: dep.status };
      }
      runner.wake();
      const changed = await this.events.next(dep.id, deadline - Date.now(), signal);
      if (!changed) return { ok: false, reason: 'timeout', status: dep.status };
    }
  }

  /** After a restart: processes are gone, so serving deployments come back SCALED_TO_ZERO; builds start over. */
  restore(): void {
    for (const dep of this.store.deployments.values()) {
      if (dep.status === 'DEACTIVATING') dep.status = 'INACTIVE';
      else if (
        dep.everActive &&
        ['ACTIVE', 'UNHEALTHY', 'WAKING_UP', 'DEPLOYING', 'LOADING_MODEL'].includes(dep.status)
      )
        dep.status = 'SCALED_TO_ZERO';
      else if (!dep.everActive && ['BUILDING', 'DEPLOYING', 'LOADING_MODEL'].includes(dep.status))
        this.runner(dep.id).deploy();
      this.traffic.setReplicas(dep.id, activeReplicaCount(dep.status));
    }
    this.rollouts.resumeAll();
    this.save();
  }

  async close(): Promise<void> {
    this.rollouts.close();
    await Promise.all([...this.runners.values()].map((r) => r.close()));
  }

  private setStatus(dep: DeploymentRecord, status: DeploymentStatus): void {
    if (dep.status === status) return;
    dep.status = status;
    this.traffic.setReplicas(dep.id, activeReplicaCount(status));
    this.logs.add(dep.id, `Deployment status: ${status}`);
    if (this.store.deployments.has(dep.id)) {
      this.rollouts.deploymentChanged(dep);
      this.save();
    }
    this.events.changed(dep.id);
  }

  private resolveModelForPush(input: CreateDeploymentInput): ModelRecord {
    if (input.modelId) return this.getModel(input.modelId);
    const name = input.modelName?.trim() || peekModelName(input.trussDir);
    if (!name) throw invalid('modelName is required when config.yaml has no model_name');
    const existing = [...this.store.models.values()].find((m) => m.name === name);
    return (
      existing ?? {
        id: newId(8),
        name,
        createdAt: new Date().toISOString(),
        developmentDeploymentId: null,
        deploymentCounter: 0,
      }
    );
  }

  private replaceDevelopment(model: ModelRecord, dep: DeploymentRecord): void {
    const old = model.developmentDeploymentId ? this.store.deployments.get(model.developmentDeploymentId) : undefined;
    // Baseten keeps one mutable dev slot per model; here each push gets a fresh id and the old one goes away.
    if (old) void this.forgetDeployment(old);
    model.developmentDeploymentId = dep.id;
  }

  /** Published deployments of a model without production, and pushes into an environment, promote once ACTIVE. */
  private placeNewDeployment(dep: DeploymentRecord, input: CreateDeploymentInput): void {
    if (dep.isDevelopment) return;
    const scaleDownPrevious = input.scaleDownPrevious ?? true;
    if (input.environmentName) {
      promote(this, dep, ensureEnvironment(this, dep.modelId, input.environmentName), scaleDownPrevious);
      return;
    }
    const production = ensureEnvironment(this, dep.modelId, 'production');
    if (!production.currentDeploymentId && !production.candidateDeploymentId)
      promote(this, dep, production, scaleDownPrevious);
  }

  private async forgetDeployment(dep: DeploymentRecord): Promise<void> {
    this.store.deployments.delete(dep.id);
    for (const env of this.store.environmentsOf(dep.modelId)) {
      if (env.candidateDeploymentId === dep.id) {
        if (env.rollout?.deploymentId === dep.id) this.rollouts.drop(env);
        env.candidateDeploymentId = null;
        env.inProgressPromotion = null;
      }
    }
    const model = this.store.models.get(dep.modelId);
    if (model?.developmentDeploymentId === dep.id) model.developmentDeploymentId = null;
    const runner = this.runners.get(dep.id);
    this.runners.delete(dep.id);
    this.faults.clearDeployment(dep.id);
    this.logs.forget(dep.id);
    this.traffic.forget(dep.id);
    await runner?.close();
    rmSync(path.dirname(dep.trussDir), { recursive: true, force: true });
  }
}
