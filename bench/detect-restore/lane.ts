import { setTimeout as sleep } from 'node:timers/promises';
import type { EmulatorParts } from '../stack';
import type { DeploymentStatus } from '../../src/emulator/state/types';
import { writeAnsweringTruss } from '../answering-truss';
import { ProductionProbe } from './probe';

const activeTimeoutMs = 120_000;

/**
 * One model the incidents of a lane run on, one after the other: the deployment serving production, a spare ready
 * to be "the previous deployment" of the next incident, and a client sending production real traffic all along.
 * After each incident the bad deployment is retired and a fresh spare is built, so no deployment is watched with
 * the 5xx of an earlier incident still in its metrics window.
 */
export class Lane {
  production = '';
  spare = '';
  private answers = new Map<string, string>();
  private built = 0;
  probe!: ProductionProbe;
  modelId = '';
  /** When `production` began serving the lane's traffic. */
  private productionSince = 0;

  constructor(
    private readonly parts: EmulatorParts,
    readonly name: string,
    private readonly dir: string,
  ) {}

  async open(probeEveryMs: number): Promise<void> {
    const first = await this.build();
    this.modelId = first.modelId;
    this.production = first.deploymentId;
    this.spare = (await this.build()).deploymentId;
    const url = `${this.parts.emulator.inferenceUrl.replace('{model_id}', this.modelId)}/production/predict`;
    this.probe = new ProductionProbe(url, this.parts.emulator.apiKey, probeEveryMs);
    this.probe.start();
    this.productionSince = Date.now();
  }

  /**
   * Production as it is before a real incident: serving good traffic for at least `windowMs`. A deployment that
   * began serving seconds ago would make an error rate show at once (its window holds little good traffic), so
   * the time before it served is filled in its metrics with good answers at the client's rate.
   */
  backfillGoodTraffic(windowMs: number): void {
    const from = Date.now() - windowMs;
    for (let at = from; at < this.productionSince; at += this.probe.everyMs)
      this.parts.emulator.service.traffic.record(this.production, { at, status: 200, latencyMs: 5 });
  }

  answerOf(deploymentId: string): string | undefined {
    return this.answers.get(deploymentId);
  }

  status(deploymentId: string): DeploymentStatus | undefined {
    return this.parts.emulator.service.store.deployments.get(deploymentId)?.status;
  }

  async waitForStatus(deploymentId: string, status: DeploymentStatus): Promise<void> {
    const deadline = Date.now() + activeTimeoutMs;
    while (this.status(deploymentId) !== status) {
      if (Date.now() > deadline)
        throw new Error(`deployment ${deploymentId} is ${this.status(deploymentId)}, not ${status}`);
      await sleep(25);
    }
  }

  /** Puts the spare in the state the next incident needs its previous deployment in. */
  async prepareSpare(state: 'warm' | 'scaled-to-zero' | 'inactive'): Promise<void> {
    const { service } = this.parts.emulator;
    if (state === 'scaled-to-zero') {
      service.runner(this.spare).scaleToZero('bench: idle before the incident');
      await this.waitForStatus(this.spare, 'SCALED_TO_ZERO');
    } else if (state === 'inactive') {
      service.deactivate(this.modelId, this.spare);
      await this.waitForStatus(this.spare, 'INACTIVE');
    }
  }

  /** After a restore: the previous deployment serves; the bad one is retired and a fresh spare built. */
  async rotate(): Promise<void> {
    const bad = this.production;
    this.production = this.spare;
    this.productionSince = Date.now();
    await this.retire(bad);
    this.spare = (await this.build()).deploymentId;
  }

  /** After an incident that was not restored: a fresh production and a fresh spare; both old ones retired. */
  async reset(): Promise<void> {
    const old = [this.production, this.spare];
    const fresh = await this.build();
    this.parts.emulator.service.promoteDeployment(this.modelId, fresh.deploymentId, false);
    this.production = fresh.deploymentId;
    this.productionSince = Date.now();
    for (const id of old) await this.retire(id);
    this.spare = (await this.build()).deploymentId;
  }

  close(): void {
    this.probe?.stop();
  }

  private async retire(deploymentId: string): Promise<void> {
    await this.parts.control.clearDeploymentFaults(deploymentId);
    this.parts.emulator.service.deactivate(this.modelId, deploymentId);
  }

  private async build(): Promise<{ modelId: string; deploymentId: string }> {
    const answer = `${this.name}-v${this.built++}`;
    const trussDir = await writeAnsweringTruss(this.dir, `bench-${this.name}`, answer);
    const { model, deployment } = await this.parts.control.createDeployment({
      trussDir,
      ...(this.modelId ? { modelId: this.modelId } : { modelName: `bench-${this.name}` }),
    });
    this.answers.set(deployment.id, answer);
    await this.waitForStatus(deployment.id, 'ACTIVE');
    return { modelId: model.id, deploymentId: deployment.id };
  }
}
