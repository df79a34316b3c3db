import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ApprovalDecision, ApprovalRequest, ReleaseProgress } from './types';

// Wire names equal the constants' stems; clients (the CLI) import these definitions.

/** Where the release is: stage, ids, candidate status, validation numbers. */
export const progressQuery = defineQuery<ReleaseProgress>('progress');

/** Lets a release waiting at the approval gate go on to promotion. Refused unless it is waiting. */
export const approveUpdate = defineUpdate<ApprovalDecision, [ApprovalRequest]>('approve');

/** Ends a release waiting at the approval gate as rejected; production is untouched. */
export const rejectUpdate = defineUpdate<ApprovalDecision, [ApprovalRequest]>('reject');
