import { condition, setHandler } from '@temporalio/workflow';
import { approveUpdate, rejectUpdate } from './messages';
import { workflowNow, type Release } from './release';
import { duration } from './ui-markdown';
import type { ApprovalDecision, ApprovalRequest, ReleaseStage } from './types';

const maxReasonLength = 500;

/** Why an approve/reject update is refused, or undefined to accept it (the updates' synchronous validator). */
export function approvalRefusal(
  stage: ReleaseStage,
  decided: boolean,
  request: ApprovalRequest | undefined,
): string | undefined {
  if (decided) return 'the approval gate has already decided';
  if (stage !== 'awaiting-approval') return `the release is not awaiting approval (stage: ${stage})`;
  if (request !== undefined && request !== null && typeof request !== 'object') return 'give {by?, reason?}';
  if (request?.by !== undefined && typeof request.by !== 'string') return '"by" must be a string';
  if (request?.reason !== undefined && typeof request.reason !== 'string') return '"reason" must be a string';
  if ((request?.reason?.length ?? 0) > maxReasonLength) return `"reason" is longer than ${maxReasonLength} characters`;
  return undefined;
}

/** The optional human gate between validation and promotion, driven by the approve/reject updates. */
export class ApprovalGate {
  private decision: ApprovalDecision | undefined;

  constructor(private readonly release: Release) {
    const validator = (request: ApprovalRequest): void => {
      const refusal = approvalRefusal(release.stage, this.decision !== undefined, request);
      if (refusal) throw new Error(refusal);
    };
    setHandler(approveUpdate, (request) => Promise.resolve(this.decide(true, request)), {
      validator,
      description: 'Let the release go on to promotion: {"by"?: "...", "reason"?: "..."}.',
    });
    setHandler(rejectUpdate, (request) => Promise.resolve(this.decide(false, request)), {
      validator,
      description: 'End the release as rejected, production untouched: {"by"?: "...", "reason"?: "..."}.',
    });
  }

  /** Waits for a decision; undefined when the deadline passed first. */
  async wait(timeoutMs: number): Promise<ApprovalDecision | undefined> {
    this.release.enter('awaiting-approval', `waiting up to ${Math.round(timeoutMs / 1000)} s for approve or reject`);
    this.release.note({ approvalDeadline: workflowNow() + timeoutMs });
    await condition(() => this.decision !== undefined, timeoutMs, {
      summary: `wait up to ${duration(timeoutMs)} for approve or reject`,
    });
    return this.decision;
  }

  private decide(approved: boolean, request: ApprovalRequest | undefined): ApprovalDecision {
    const decision: ApprovalDecision = { approved, by: request?.by, reason: request?.reason, decidedAt: workflowNow() };
    this.decision = decision;
    this.release.note({ approval: decision, approvalDeadline: undefined });
    return decision;
  }
}
