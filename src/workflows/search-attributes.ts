import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Registered on the Temporal server (dev server flags, or `temporal operator search-attribute create`)
// so releases can be filtered in the UI and with `temporal workflow list --query`.
export const modelAttribute = defineSearchAttributeKey('BasetenModel', SearchAttributeType.KEYWORD);
export const environmentAttribute = defineSearchAttributeKey('BasetenEnvironment', SearchAttributeType.KEYWORD);
/** A release's candidate deployment id (set once the push created it). */
export const candidateAttribute = defineSearchAttributeKey('BasetenCandidate', SearchAttributeType.KEYWORD);
/** A watcher's watched deployment id. */
export const deploymentAttribute = defineSearchAttributeKey('BasetenDeployment', SearchAttributeType.KEYWORD);
/** Where a release or a watcher is (ReleaseStage or WatchStage). */
export const stageAttribute = defineSearchAttributeKey('BasetenStage', SearchAttributeType.KEYWORD);

/** Every attribute the workflows use: the dev server registers them, and so does `baseten-cd setup`. */
export const searchAttributes = [
  modelAttribute,
  environmentAttribute,
  candidateAttribute,
  deploymentAttribute,
  stageAttribute,
] as const;
