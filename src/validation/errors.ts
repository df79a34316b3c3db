import { FailureType } from '../common/failure-types';

/*
 * Infrastructure problems that stop a validation before any verdict. A model that answers wrongly or
 * slowly is a verdict (ValidationReport.passed = false), never one of these. The class names are the
 * Temporal failure types, so keep them stable.
 */

/** The candidate is in a state where it cannot serve requests at all (failed, inactive...). */
export class CandidateUnavailableError extends Error {
  override name = FailureType.CandidateUnavailable;
}

/** The candidate did not answer a single warm-up request within the warm-up timeout. */
export class WarmupTimeoutError extends Error {
  override name = FailureType.WarmupTimeout;
}
