/**
 * The Temporal Web UI for a frontend address: TEMPORAL_UI_URL when set, Temporal Cloud's UI for a cloud
 * address, else the dev-server convention (the UI listens on the gRPC port + 1000, so 7233 → 8233).
 */
export function temporalUiBaseUrl(address: string, explicit?: string): string {
  if (explicit) return explicit.replace(/\/+$/, '');
  const { host, port } = splitAddress(address);
  if (host.endsWith('.tmprl.cloud')) return 'https://cloud.temporal.io';
  return `http://${host}:${port + 1000}`;
}

/** The page of one workflow run's history (or of the latest run when runId is unknown). */
export function workflowUiUrl(uiBaseUrl: string, namespace: string, workflowId: string, runId?: string): string {
  const base = `${uiBaseUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}/history` : base;
}

/** `host:port` → parts; IPv6 hosts may be bracketed (`[::1]:7233`). Throws on anything else. */
export function splitAddress(address: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:\s/]+):(\d{1,5})$/.exec(address.trim());
  const port = Number(match?.[2]);
  if (!match?.[1] || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`'${address}' is not host:port`);
  }
  return { host: match[1], port };
}
