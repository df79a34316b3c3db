import { execFile } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/tools/paths';
import { tempDir } from '../support/temp-dirs';
import { temporalAddress } from '../support/temporal';

const run = promisify(execFile);
const bin = (name: string) => path.join(projectRoot, 'node_modules', '.bin', name);

// The package's entry point is the typed client: a CI script in another project imports `baseten-cd`,
// type-checks against it, and talks to Temporal through it.
describe('baseten-cd as a package', () => {
  it('is imported by a TypeScript script in another project, type-checked, and runs', async () => {
    const project = tempDir('ci-script');
    mkdirSync(path.join(project, 'node_modules'));
    // What `npm install <this repository>` leaves: the package under node_modules.
    symlinkSync(projectRoot, path.join(project, 'node_modules', 'baseten-cd'));
    writeFileSync(
      path.join(project, 'deploy-check.ts'),
      `import { BasetenCd, type WorkflowRow } from 'baseten-cd';

async function main(): Promise<void> {
  const cd = await BasetenCd.connect();
  try {
    const rows: WorkflowRow[] = await cd.list({ kind: 'release', limit: 1 });
    const watcher = await cd.watcher('no-such-model').describe();
    console.log(JSON.stringify({ listed: Array.isArray(rows), watcher: watcher ?? null, ui: cd.uiUrl('release-x-production') }));
  } finally {
    await cd.close();
  }
}
void main();
`,
    );
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'esnext',
          moduleResolution: 'bundler',
          target: 'ES2022',
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        include: ['deploy-check.ts'],
      }),
    );
    await run(bin('tsc'), ['-p', project], { cwd: project });
    const { stdout } = await run(bin('tsx'), [path.join(project, 'deploy-check.ts')], {
      cwd: project,
      env: { ...process.env, TEMPORAL_ADDRESS: temporalAddress() },
    });
    const printed = JSON.parse(stdout) as { listed: boolean; watcher: unknown; ui: string };
    expect(printed).toMatchObject({ listed: true, watcher: null });
    expect(printed.ui).toMatch(/\/namespaces\/default\/workflows\/release-x-production$/);
  }, 120_000);
});
