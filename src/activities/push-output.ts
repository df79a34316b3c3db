import { z } from 'zod';
import { FailureType } from '../common/failure-types';

/** What `truss push --output json` prints on stdout on success (extra keys ignored). */
const successSchema = z.object({ model_id: z.string().min(1), model_version_id: z.string().min(1) });
/** …and on failure. */
const failureSchema = z.object({
  error: z.object({ message: z.string(), status_code: z.number().optional(), error_code: z.string().optional() }),
});

export interface PushedIds {
  modelId: string;
  deploymentId: string;
}

export type PushFailureType =
  | typeof FailureType.TrussConfig
  | typeof FailureType.TrussAuth
  | typeof FailureType.TrussNetwork
  | typeof FailureType.TrussPush;

export interface PushFailure {
  type: PushFailureType;
  message: string;
  nonRetryable: boolean;
}

/** The last JSON object line on stdout (truss prints exactly one, possibly indented over several lines). */
function lastJson(stdout: string): unknown {
  const start = stdout.lastIndexOf('\n{') + 1;
  for (const candidate of [stdout.slice(start), stdout]) {
    try {
      return JSON.parse(candidate.trim());
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

/**
 * The ids of the new deployment: from the JSON result, else from the logs link that every truss
 * version prints (`/models/{model_id}/logs/{deployment_id}`).
 */
export function parsePushedIds(stdout: string, stderr: string): PushedIds | undefined {
  const json = successSchema.safeParse(lastJson(stdout));
  if (json.success) return { modelId: json.data.model_id, deploymentId: json.data.model_version_id };
  const link = /\/models\/([A-Za-z0-9]+)\/logs\/([A-Za-z0-9]+)/.exec(`${stdout}\n${stderr}`);
  return link?.[1] && link[2] ? { modelId: link[1], deploymentId: link[2] } : undefined;
}

// Raised before anything is sent: truss's own config loading, its server-side validation, and click usage errors.
const configPatterns = [
  /validation error(s)? for TrussConfig/i,
  /Validation failed with the following errors/i,
  /Expected a truss configuration file/i,
  /while (parsing|scanning) /i, // YAML syntax
  /No such option|Invalid value for|Missing argument|Usage: truss/i,
  /Cannot use --|cannot both be specified|must be a JSON object|Invalid JSON in --labels/i,
  /Deployment name (must|cannot)|Model name cannot be empty|No model name provided/i,
  /can only be used with|must be between 10 minutes/i,
  /Remote .* not found|No remote|Cannot use remote/i,
];
const networkPatterns = [
  /ConnectionError|Connection refused|Max retries exceeded|ProxyError|NewConnectionError/i,
  /Read timed out|ConnectTimeout|timed out|Temporary failure in name resolution|Name or service not known/i,
  /RemoteDisconnected|Connection reset|EndpointConnectionError/i,
];

/** Decides what a failed push means for the caller: fix the Truss, fix the credentials, or try again. */
export function classifyFailure(exitCode: number | null, stdout: string, stderrTail: string[]): PushFailure {
  const parsed = failureSchema.safeParse(lastJson(stdout));
  const error = parsed.success ? parsed.data.error : undefined;
  const message = error?.message.trim() || stderrTail.join('\n').trim() || `truss exited with code ${exitCode}`;
  const status = error?.status_code;

  const rejectedInput = error?.error_code === 'VALIDATION_ERROR' || error?.error_code === 'BAD_USER_INPUT';
  if (exitCode === 2 || rejectedInput || configPatterns.some((p) => p.test(message)))
    return { type: FailureType.TrussConfig, message, nonRetryable: true };
  if (status === 401 || status === 403 || /\b(401|403)\b.*(Unauthorized|Forbidden)|Api-Key|API key/i.test(message))
    return { type: FailureType.TrussAuth, message, nonRetryable: true };
  if ((status !== undefined && status >= 500) || networkPatterns.some((p) => p.test(message)))
    return { type: FailureType.TrussNetwork, message, nonRetryable: false };
  const detail = stderrTail.length > 0 ? `${message}\n--- last truss output ---\n${stderrTail.join('\n')}` : message;
  return { type: FailureType.TrussPush, message: detail, nonRetryable: false };
}
