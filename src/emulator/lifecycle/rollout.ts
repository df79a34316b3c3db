import type { PromotionStatus } from '../../baseten/schemas';
import {
  failedStatuses,
  servingStatuses,
  type DeploymentRecord,
  type EnvironmentRecord,
  type RolloutPhase,
  type RolloutRecord,
} from '../state/types';
import { complete, type PromotionHost } from './promotion';
import { defaultRollingDeployConfig } from './settings';

const shownAs: Record<RolloutPhase, PromotionStatus> = {
  releasing: 'RELEASING',
  'ramping-up': 'RAMPING_UP',
  paused: 'PAUSED',
  completing: 'RAMPING_DOWN',
  'ramping-down': 'RAMPING_DOWN',
};

/**
 * Baseten's rolling promotions, one per environment, each driven by a timer a step at a time:
 * RELEASING (0%, until the candidate serves and at least one step has passed) → RAMPING_UP by
 * `max_surge_percent` (or `max_unavailable_percent` when surge is 0) per step → at 100%, RAMPING_DOWN for one
 * step while the previous deployment's replicas go → SUCCEEDED, when the candidate becomes current and the previous
 * deployment is cleaned up per `promotion_cleanup_strategy`. A step lasts `stabilization_time_seconds`, but at least
 * the emulator's `rollingStepMs`.
 *
 * Controls: pause takes effect at the next step boundary (PAUSED, at the percentage that step reached, 100%
 * included); resume continues from there; a graceful cancel goes back to 0% a step at a time (RAMPING_DOWN) and ends
 * CANCELED, at once if no traffic had moved; force cancel ends CANCELED at once; force roll forward ends SUCCEEDED at
 * once, from any phase, a rollback included. A candidate that fails during the ramp ends it FAILED.
 *
 * While a ramp runs, predictions to the environment go to the candidate in proportion to the percentage, decided
 * deterministically (each request adds the share to a debt; a whole unit sends one to the candidate), so a test that
 * sees 25% counts exactly one request in four on the new deployment. The record lives in the state snapshot, so a
 * restarted emulator carries on from the step it was at.
 */
export class Rollouts {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly owed = new Map<string, number>();

  constructor(
    private readonly host: PromotionHost,
    private readonly minStepMs: number,
  ) {}

  /** Starts moving the environment's traffic from its current deployment to `dep`, which has served before. */
  start(env: EnvironmentRecord, dep: DeploymentRecord, scaleDownPrevious: boolean): void {
    env.rollout = { deploymentId: dep.id, scaleDownPrevious, phase: 'releasing', percent: 0, pauseRequested: false };
    env.candidateDeploymentId = dep.id;
    dep.pendingPromotion = null;
    this.changed(env, `Rolling promotion to ${env.name} started`);
  }

  /** Which deployment serves the next prediction to the environment. */
  route(env: EnvironmentRecord): string | null {
    const rollout = env.rollout;
    if (!rollout || rollout.percent <= 0) return env.currentDeploymentId;
    const key = keyOf(env);
    const owed = (this.owed.get(key) ?? 0) + rollout.percent / 100;
    const toCandidate = owed >= 1 - 1e-9;
    this.owed.set(key, toCandidate ? owed - 1 : owed);
    return toCandidate ? rollout.deploymentId : env.currentDeploymentId;
  }

  /** The share of the environment's predictions (percent) that `deploymentId` serves now. */
  percentOf(env: EnvironmentRecord, deploymentId: string | null): number {
    const rollout = env.rollout;
    if (!rollout || rollout.percent <= 0) return deploymentId === env.currentDeploymentId ? 100 : 0;
    if (deploymentId === rollout.deploymentId) return rollout.percent;
    return deploymentId === env.currentDeploymentId ? 100 - rollout.percent : 0;
  }

  pause(env: EnvironmentRecord): boolean {
    const rollout = env.rollout;
    if (rollout?.phase === 'paused') return true;
    if (rollout?.phase !== 'releasing' && rollout?.phase !== 'ramping-up') return false;
    rollout.pauseRequested = true;
    this.host.log(rollout.deploymentId, `Pause of the promotion to ${env.name} requested; it pauses after this step`);
    return true;
  }

  /** Continues a paused ramp (or withdraws a pause that has not taken effect yet). */
  resume(env: EnvironmentRecord): boolean {
    const rollout = env.rollout;
    if (!rollout || rollout.phase === 'ramping-down' || rollout.phase === 'completing') return false;
    rollout.pauseRequested = false;
    if (rollout.phase !== 'paused') return true;
    rollout.phase = rollout.percent >= 100 ? 'completing' : 'ramping-up';
    this.changed(env, `Promotion to ${env.name} resumed at ${rollout.percent}%`);
    return true;
  }

  /** Graceful cancel: CANCELED at once if no traffic moved yet, else RAMPING_DOWN back to 0% step by step. */
  cancel(env: EnvironmentRecord): 'CANCELED' | 'RAMPING_DOWN' {
    const rollout = env.rollout;
    if (!rollout || rollout.percent <= 0) {
      if (rollout) this.end(env, 'CANCELED', null, `Promotion to ${env.name} canceled before any traffic moved`);
      return 'CANCELED';
    }
    if (rollout.phase === 'ramping-down') return 'RAMPING_DOWN';
    rollout.phase = 'ramping-down';
    rollout.pauseRequested = false;
    this.changed(env, `Promotion to ${env.name} canceled; moving traffic back from ${rollout.percent}%`);
    return 'RAMPING_DOWN';
  }

  forceCancel(env: EnvironmentRecord): void {
    this.end(
      env,
      'CANCELED',
      null,
      `Promotion to ${env.name} force-canceled; all traffic back on the previous deployment`,
    );
  }

  forceRollForward(env: EnvironmentRecord): void {
    this.finish(env, 'forced forward');
  }

  /** A deployment's status changed: a candidate that failed ends its ramp. */
  deploymentChanged(dep: DeploymentRecord): void {
    if (!failedStatuses.has(dep.status)) return;
    for (const env of this.host.store.environmentsOf(dep.modelId)) {
      if (env.rollout?.deploymentId !== dep.id) continue;
      const message = `Candidate deployment ${dep.id} is ${dep.status}`;
      this.end(env, 'FAILED', message, `Promotion to ${env.name} failed: ${message}; traffic back on the previous one`);
    }
  }

  /** Stops driving the environment's ramp without a verdict (the environment or its candidate is being deleted). */
  drop(env: EnvironmentRecord): void {
    this.stopTimer(env);
    env.rollout = null;
  }

  /** After a restart: ramps that were moving carry on from their step. */
  resumeAll(): void {
    for (const env of this.host.store.environments.values()) {
      if (env.rollout && env.rollout.phase !== 'paused') this.schedule(env);
    }
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private tick(modelId: string, name: string): void {
    const env = this.host.store.environment(modelId, name);
    this.timers.delete(`${modelId}/${name}`);
    const rollout = env?.rollout;
    if (!env || !rollout) return;
    const step = stepPercent(env);
    switch (rollout.phase) {
      case 'releasing': {
        const candidate = this.host.store.deployments.get(rollout.deploymentId);
        if (candidate && !servingStatuses.has(candidate.status)) {
          this.bringUp(candidate);
          this.schedule(env);
          return;
        }
        return this.reach(env, rollout, Math.min(100, step));
      }
      case 'ramping-up':
        return this.reach(env, rollout, Math.min(100, rollout.percent + step));
      case 'completing':
        return this.finish(env, 'succeeded');
      case 'ramping-down': {
        const percent = Math.max(0, rollout.percent - step);
        if (percent === 0) return this.end(env, 'CANCELED', null, `Promotion to ${env.name} rolled back and canceled`);
        rollout.percent = percent;
        return this.changed(env, `Promotion to ${env.name} ramping down: ${percent}% on the candidate`);
      }
      case 'paused':
        return;
    }
  }

  /** The end of a step up: the new percentage holds, then the ramp goes on, pauses, or starts completing. */
  private reach(env: EnvironmentRecord, rollout: RolloutRecord, percent: number): void {
    rollout.percent = percent;
    if (rollout.pauseRequested) {
      rollout.pauseRequested = false;
      rollout.phase = 'paused';
    } else rollout.phase = percent >= 100 ? 'completing' : 'ramping-up';
    this.changed(env, `Promotion to ${env.name}: ${percent}% on the candidate (${shownAs[rollout.phase]})`);
  }

  /** The candidate becomes current; the previous deployment is cleaned up as a plain promotion would. */
  private finish(env: EnvironmentRecord, how: string): void {
    const rollout = env.rollout;
    const candidate = rollout ? this.host.store.deployments.get(rollout.deploymentId) : undefined;
    if (!rollout || !candidate) return;
    this.drop(env);
    complete(this.host, candidate, env, rollout.scaleDownPrevious);
    env.inProgressPromotion = shown('SUCCEEDED', 100, null);
    this.host.log(candidate.id, `Rolling promotion to ${env.name} ${how}`);
    this.host.save();
  }

  /** The ramp ends without promoting: all traffic back on the current deployment, which stays current. */
  private end(env: EnvironmentRecord, status: 'CANCELED' | 'FAILED', error: string | null, note: string): void {
    const rollout = env.rollout;
    if (!rollout) return;
    this.drop(env);
    if (env.candidateDeploymentId === rollout.deploymentId) env.candidateDeploymentId = null;
    env.inProgressPromotion = shown(status, 0, error);
    this.host.log(rollout.deploymentId, note);
    this.host.save();
  }

  private changed(env: EnvironmentRecord, note: string): void {
    const rollout = env.rollout;
    if (!rollout) return;
    env.inProgressPromotion = shown(shownAs[rollout.phase], rollout.percent, null);
    // Each percentage starts with a clean debt, so a step's share is exact from its first request.
    this.owed.delete(keyOf(env));
    this.host.log(rollout.deploymentId, note);
    this.host.save();
    if (rollout.phase !== 'paused') this.schedule(env);
  }

  /** Arms the next step boundary, unless one is armed already. */
  private schedule(env: EnvironmentRecord): void {
    const key = keyOf(env);
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => this.tick(env.modelId, env.name), stepMs(env, this.minStepMs));
    timer.unref();
    this.timers.set(key, timer);
  }

  private stopTimer(env: EnvironmentRecord): void {
    const key = keyOf(env);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.owed.delete(key);
  }

  /** A candidate that has served before but was scaled down or deactivated is brought back for the ramp. */
  private bringUp(dep: DeploymentRecord): void {
    if (dep.status === 'SCALED_TO_ZERO') this.host.runner(dep.id).wake();
    else if (dep.status === 'INACTIVE' || dep.status === 'DEACTIVATING') this.host.runner(dep.id).activate();
  }
}

function shown(
  status: PromotionStatus,
  percent: number,
  error: string | null,
): EnvironmentRecord['inProgressPromotion'] {
  return { status, percent_traffic_to_new_version: percent, error_message: error, rolling_deploy: true };
}

function keyOf(env: EnvironmentRecord): string {
  return `${env.modelId}/${env.name}`;
}

function stepPercent(env: EnvironmentRecord): number {
  const config = env.promotionSettings.rolling_deploy_config ?? defaultRollingDeployConfig();
  const step = config.max_surge_percent > 0 ? config.max_surge_percent : config.max_unavailable_percent;
  return step > 0 ? Math.min(100, step) : 100;
}

function stepMs(env: EnvironmentRecord, minStepMs: number): number {
  const stabilization = env.promotionSettings.rolling_deploy_config?.stabilization_time_seconds ?? 0;
  return Math.max(minStepMs, stabilization * 1000);
}
