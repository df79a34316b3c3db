/**
 * Every failure type name that workflows, the CLI and tests compare, in one place. Temporal carries a failure's
 * type as a string (for a thrown class, its name), and retry policies, verdicts and exit codes are decided on it,
 * so these strings are a contract: never rename one.
 */
export const FailureType = {
  /** The deployment reached a status from which it will not become ACTIVE (BUILD_FAILED, DEPLOY_FAILED, ...). */
  DeploymentFailed: 'DeploymentFailedError',
  /** The deployment did not become ACTIVE before the wait's deadline. */
  DeploymentTimeout: 'DeploymentTimeoutError',
  /** A promotion of the environment was still in progress and could not be cancelled in time. */
  PromotionNotCancelled: 'PromotionNotCancelledError',
  /** The running watcher of the model did not end in time after a new release superseded it. */
  WatcherNotRetired: 'WatcherNotRetiredError',
  /** Validation: the candidate cannot serve at all (INACTIVE, failed). */
  CandidateUnavailable: 'CandidateUnavailableError',
  /** Validation: the candidate never answered within the warm-up timeout. */
  WarmupTimeout: 'WarmupTimeoutError',
  /** truss push: the Truss or the push command is wrong (fix the Truss). */
  TrussConfig: 'TrussConfigError',
  /** truss push: the backend refused the credentials. */
  TrussAuth: 'TrussAuthError',
  /** truss push: network trouble (retried). */
  TrussNetwork: 'TrussNetworkError',
  /** truss push: any other failure of the CLI (retried). */
  TrussPush: 'TrussPushError',
  /** truss push did not finish within its own limit. */
  TrussTimeout: 'TrussTimeoutError',
  /** truss push succeeded but printed no ids (final: a retry would push a second deployment). */
  TrussOutput: 'TrussOutputError',
  /** Raised by the release itself: production does not verify after a promotion. */
  VerificationFailed: 'VerificationFailedError',
  /** Raised by the release itself: no `deploy` process picked the push up in time. */
  PushNotStarted: 'PushNotStartedError',
  /** Raised by the release itself: a traffic step of a rolling promotion failed its analysis (cancelled). */
  RolloutStepFailed: 'RolloutStepFailedError',
  /** Raised by the release itself: the rolling promotion ended without promoting (Baseten, or someone, stopped it). */
  RolloutEnded: 'RolloutEndedError',
  /** Raised by the release itself: an operator rolled the release back during its ramp. */
  RolloutRolledBack: 'RolloutRolledBackError',
  /** The rolling promotion stayed at one step longer than a step may take. */
  RolloutStalled: 'RolloutStalledError',
  /** The environment's rolling promotion setting did not take effect. */
  RolloutNotApplied: 'RolloutNotAppliedError',
  /** The workflow input is unusable (a client other than the CLI sent it). */
  InvalidInput: 'InvalidDeployInput',
  /** The release failed for a reason that is not a verdict about the candidate (its details say what happened). */
  ReleaseFailed: 'ReleaseFailed',
} as const;

export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];

/**
 * The Baseten client's error classes whose requests no retry can fix (400, 401, 403, 404, 422): exactly the
 * classes for which the client's `isRetryable` says no (a unit test holds the two together). Activities mark such
 * failures non-retryable themselves; retry policies list the names as well, as a second line of defence.
 */
export const permanentBasetenErrorTypes = [
  'BadRequestError',
  'AuthenticationError',
  'PermissionDeniedError',
  'NotFoundError',
  'UnprocessableEntityError',
] as const;
