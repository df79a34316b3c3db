import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Registered on the Temporal server (dev server flags, or `temporal operator search-attribute create`)
// so releases can be filtered in the UI and with `temporal workflow list --query`.
export const modelAttribute = defineSearchAttributeKey('BasetenModel', SearchAttributeType.KEYWORD);
export const environmentAttribute = defineSearchAttributeKey('BasetenEnvironment', SearchAttributeType.KEYWORD);
export const candidateAttribute = defineSearchAttributeKey('BasetenCandidate', SearchAttributeType.KEYWORD);
export const stageAttribute = defineSearchAttributeKey('BasetenStage', SearchAttributeType.KEYWORD);

export const searchAttributes = [modelAttribute, environmentAttribute, candidateAttribute, stageAttribute] as const;
