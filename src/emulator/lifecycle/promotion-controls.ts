import type { EnvironmentRecord } from '../state/types';
import { cancelPending, type PromotionHost } from './promotion';

/** CancelPromotionResponseV1. */
export interface CancelAnswer {
  status: 'CANCELED' | 'RAMPING_DOWN';
  message: string;
}

/**
 * POST .../environments/{env}/{cancel,force_cancel,pause,resume,force_roll_forward}_promotion.
 *
 * In progress means a rolling ramp (./rollout) or a candidate still being built (promotion.ts). With nothing in
 * progress (Baseten documents no answer): cancel_promotion answers 200 CANCELED with a message saying there was
 * nothing to cancel, so a retried cancel succeeds; the four signals answer 200 `{success: false}`, nothing having
 * received them. pause and resume act on rolling ramps only (a building candidate has no steps): false otherwise.
 */
export function cancelPromotion(host: PromotionHost, env: EnvironmentRecord): CancelAnswer {
  const current = env.currentDeploymentId ?? 'no deployment';
  if (env.rollout) {
    const status = host.rollouts.cancel(env);
    return status === 'CANCELED'
      ? { status, message: `Promotion canceled before any traffic moved; ${env.name} stays on ${current}` }
      : { status, message: `Promotion canceling: traffic moves back to ${current} step by step` };
  }
  if (cancelPending(host, env))
    return { status: 'CANCELED', message: `Promotion canceled; ${env.name} stays on ${current}` };
  return { status: 'CANCELED', message: `No promotion in progress in environment ${env.name}; nothing to cancel` };
}

export function forceCancelPromotion(host: PromotionHost, env: EnvironmentRecord): boolean {
  if (!env.rollout) return cancelPending(host, env);
  host.rollouts.forceCancel(env);
  return true;
}

export function pausePromotion(host: PromotionHost, env: EnvironmentRecord): boolean {
  return host.rollouts.pause(env);
}

export function resumePromotion(host: PromotionHost, env: EnvironmentRecord): boolean {
  return host.rollouts.resume(env);
}

/** Completes a rolling ramp at once; a candidate still being built cannot take traffic yet (false). */
export function forceRollForwardPromotion(host: PromotionHost, env: EnvironmentRecord): boolean {
  if (!env.rollout) return false;
  host.rollouts.forceRollForward(env);
  return true;
}
