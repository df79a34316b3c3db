import { Runtime } from '@temporalio/worker';
import { UsageError } from '../common/usage-error';
import { metricNames } from '../workflows/metrics';
import type { WorkerConfig } from './config';

const ms = (...seconds: number[]) => seconds.map((s) => s * 1000);

/** Buckets for baseten-cd's histograms (Temporal's own keep Core's defaults). */
const histogramBuckets: Record<string, number[]> = {
  [metricNames.validationLatency]: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000],
  [metricNames.validationDuration]: ms(1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
  [metricNames.revertDetect]: ms(1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
  [metricNames.revertRestore]: ms(1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
};

/**
 * Sets up Temporal's Core runtime for a fleet worker process: with BASETEN_CD_METRICS_PORT, its Prometheus
 * exporter serves Temporal's worker metrics and baseten-cd's own (recorded through the SDK's metricMeter) on
 * 0.0.0.0:PORT/metrics. The runtime is a per-process singleton that the first connection creates with defaults,
 * so this must run before any connection; without the port it does nothing.
 */
export function installWorkerRuntime(config: Pick<WorkerConfig, 'metricsPort'>): void {
  if (config.metricsPort === undefined) return;
  const bindAddress = `0.0.0.0:${config.metricsPort}`;
  try {
    Runtime.install({
      telemetryOptions: {
        metrics: { prometheus: { bindAddress, histogramBucketOverrides: histogramBuckets } },
      },
    });
  } catch (err) {
    throw new UsageError(
      `BASETEN_CD_METRICS_PORT: cannot serve metrics on ${bindAddress}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
}
