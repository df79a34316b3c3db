/** What kind of candidate a release pushes (README, "Candidate kinds"). */
export type CandidateKind = { kind: 'published' } | { kind: 'development' } | { kind: 'environment'; name: string };

export interface PushInput {
  /** Absolute path of the Truss folder, on the machine that hosts the push worker. */
  trussDir: string;
  /** Overrides `model_name` from config.yaml. */
  modelName?: string;
  candidate: CandidateKind;
  deploymentName?: string;
  labels?: Record<string, string>;
  /** The git commit of the Truss, recorded as a label when known. */
  gitCommit?: string;
}

export interface PushResult {
  modelId: string;
  modelName: string;
  deploymentId: string;
  candidate: CandidateKind;
}
