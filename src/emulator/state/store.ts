import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { DeploymentRecord, EnvironmentRecord, ModelRecord, StateSnapshot } from './types';

/**
 * The in-memory records, persisted as one JSON snapshot under the state dir after every change
 * (small enough to rewrite whole; written to a temp file and renamed so a crash never leaves half a file).
 */
export class StateStore {
  readonly models = new Map<string, ModelRecord>();
  readonly deployments = new Map<string, DeploymentRecord>();
  /** Keyed by `${modelId}/${name}`. */
  readonly environments = new Map<string, EnvironmentRecord>();
  private readonly file: string;

  constructor(readonly stateDir: string) {
    mkdirSync(stateDir, { recursive: true });
    this.file = path.join(stateDir, 'state.json');
  }

  /** Loads the snapshot if there is one; returns whether it did. */
  load(): boolean {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return false;
    }
    const parsed = snapshotSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${this.file} is not an emulator state snapshot: ${parsed.error.message}`);
    const snapshot = parsed.data as unknown as StateSnapshot;
    for (const m of snapshot.models) this.models.set(m.id, m);
    for (const d of snapshot.deployments) this.deployments.set(d.id, d);
    for (const e of snapshot.environments) this.environments.set(envKey(e.modelId, e.name), e);
    return true;
  }

  save(): void {
    const snapshot: StateSnapshot = {
      version: 1,
      models: [...this.models.values()],
      deployments: [...this.deployments.values()],
      environments: [...this.environments.values()],
    };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(snapshot, null, 2));
    renameSync(tmp, this.file);
  }

  deploymentsOf(modelId: string): DeploymentRecord[] {
    return [...this.deployments.values()].filter((d) => d.modelId === modelId);
  }

  environmentsOf(modelId: string): EnvironmentRecord[] {
    return [...this.environments.values()].filter((e) => e.modelId === modelId);
  }

  environment(modelId: string, name: string): EnvironmentRecord | undefined {
    return this.environments.get(envKey(modelId, name));
  }

  putEnvironment(env: EnvironmentRecord): void {
    this.environments.set(envKey(env.modelId, env.name), env);
  }

  deleteEnvironment(modelId: string, name: string): void {
    this.environments.delete(envKey(modelId, name));
  }
}

function envKey(modelId: string, name: string): string {
  return `${modelId}/${name}`;
}

// Only the outline is checked: the snapshot is our own file, but a hand-edited or foreign file must fail clearly.
const snapshotSchema = z.object({
  version: z.literal(1),
  models: z.array(z.looseObject({ id: z.string(), name: z.string() })),
  deployments: z.array(z.looseObject({ id: z.string(), modelId: z.string(), status: z.string() })),
  environments: z.array(z.looseObject({ name: z.string(), modelId: z.string() })),
});
