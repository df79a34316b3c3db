/** Which deployment of a model an inference request goes to (the path prefix on the model's host). */
export type InferenceTarget =
  | { kind: 'production' }
  | { kind: 'development' }
  | { kind: 'deployment'; deploymentId: string }
  | { kind: 'environment'; name: string };

/** `/production`, `/development`, `/deployment/{id}` or `/environments/{name}`. */
export function inferencePrefix(target: InferenceTarget): string {
  switch (target.kind) {
    case 'production':
      return '/production';
    case 'development':
      return '/development';
    case 'deployment':
      return `/deployment/${encodeURIComponent(target.deploymentId)}`;
    case 'environment':
      return `/environments/${encodeURIComponent(target.name)}`;
  }
}
