import type { DeploymentStatus, PromotionStatus } from '../baseten/schemas';
import type { SmokeCheck } from './smoke';

// The data of a rolling release's activities; the deployModel workflow imports them as types.

export interface RolloutPlanInput {
  modelId: string;
  environment: string;
  /** The deployment about to be promoted. */
  candidateId: string;
  /** `deploy --rollout rolling`: turn the environment's rolling promotion on when it is off. */
  enableRolling: boolean;
}

/** How the environment will promote the candidate. */
export interface RolloutPlan {
  /** True when the promotion will move traffic in steps (rolling, with a current deployment to replace). */
  rolling: boolean;
  /** True when this release turned the environment's rolling promotion on. */
  enabled: boolean;
  /** Baseten's least step length (`stabilization_time_seconds`). @unit ms */
  stepMs: number;
  /** The traffic each step moves (max_surge_percent, else max_unavailable_percent). */
  stepPercent: number;
}

export interface AwaitStepInput {
  modelId: string;
  environment: string;
  candidateId: string;
  /** The step already analysed: only a higher percentage is a new step. */
  afterPercent: number;
  /** True when the promotion was asked to pause: the step is reached once Baseten reports PAUSED. */
  held: boolean;
  /** How long one step may take to be reached. @unit ms */
  timeoutMs: number;
}

/** Where Baseten's promotion of the environment is. */
export interface RolloutPosition {
  /** The promotion's status; `NONE` when Baseten reports no promotion at all. */
  status: PromotionStatus | 'NONE';
  /** Share of traffic on the candidate, 0..100. */
  percent: number;
  /** What serves the environment now. */
  currentDeploymentId: string | null;
  /** Baseten's error message for a FAILED promotion. */
  error?: string;
}

export type PromotionAction = 'pause' | 'resume' | 'resume-and-pause' | 'roll-forward';

export interface PromotionControlInput {
  modelId: string;
  environment: string;
  /** `resume-and-pause`: let the next step happen, and pause after it. */
  action: PromotionAction;
  /** For a resume: the step (percent) that passed, where the ramp stands when nothing moved it on since. */
  afterPercent?: number;
}

/** What a step is judged against (from the validation file's `rollout` section, latency budget and comparison). */
export interface StepBudgets {
  maxErrorRate: number;
  hardErrorRate: number;
  maxP95Ms?: number;
  maxLatencyRatio?: number;
  minRequests: number;
}

export interface StepAnalysisInput {
  modelId: string;
  environment: string;
  candidateId: string;
  previousId: string;
  /** The step's share of traffic on the candidate, 0..100. */
  percent: number;
  /** The window analysed (epoch ms). */
  windowStartMs: number;
  windowEndMs: number;
  budgets: StepBudgets;
  /** Sent to the candidate itself when its real traffic over the window is thin. */
  probe?: SmokeCheck;
}

/** One deployment's real traffic over a step's window. */
export interface StepTraffic {
  requests: number;
  errors5xx: number;
  errorRate?: number;
  p95Ms?: number;
}

/** The analysis of one traffic step: the numbers and the verdict. */
export interface StepAnalysis {
  percent: number;
  windowStartMs: number;
  windowEndMs: number;
  candidateStatus?: DeploymentStatus;
  candidate?: StepTraffic;
  previous?: StepTraffic;
  /** The candidate's share of the requests both deployments served over the window, 0..1. */
  share?: number;
  probe?: { ok: boolean; status?: number; latencyMs?: number; reason?: string };
  verdict: 'passed' | 'failed';
  /** Why the step failed, one line each. */
  reasons: string[];
  /** True when the 5xx share is over the hard limit: the promotion is force-cancelled. */
  overHardLimit: boolean;
}
