import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { projectRoot } from '../../src/tools/paths';
import { tempDir } from './temp-dirs';

/** An example validation file of the repository (examples/validation/<name>.yaml). */
export function exampleValidationPath(name: string): string {
  return path.join(projectRoot, 'examples', 'validation', `${name}.yaml`);
}

/**
 * A copy of an example validation file with its speed budgets lifted (latency p50/p95, the ratio to production, the
 * probe's latency limit): how fast a model answers on a busy 2-core machine is the benchmark's business
 * (`npm run bench`); tests that use it are about what the cases check. Latency is still sampled and compared.
 */
export function exampleWithoutSpeedBudgets(name: string): string {
  const doc = parseDocument(readFileSync(exampleValidationPath(name), 'utf8'));
  doc.deleteIn(['latency', 'p50']);
  doc.deleteIn(['latency', 'p95']);
  if (doc.hasIn(['compareWithProduction', 'maxLatencyRatio'])) {
    doc.setIn(['compareWithProduction', 'maxLatencyRatio'], 1_000_000);
  }
  if (doc.hasIn(['watch', 'probe', 'maxLatency'])) doc.setIn(['watch', 'probe', 'maxLatency'], '5m');
  const file = path.join(tempDir('validation'), `${name}.yaml`);
  writeFileSync(file, doc.toString());
  return file;
}
