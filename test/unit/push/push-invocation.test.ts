import path from 'node:path';
import { pushInvocation, trussPython } from '../../../src/activities/push-invocation';
import { trussCliPath } from '../../../src/tools/paths';

const tools = { trussCliPath: '/opt/venv/bin/truss', remote: 'baseten' };

describe('the truss command line for a candidate', () => {
  it('pushes a published candidate non-interactively with JSON output, name, deployment name and labels', () => {
    const inv = pushInvocation(
      {
        trussDir: '/src/model',
        modelName: 'sentiment',
        candidate: { kind: 'published' },
        deploymentName: 'release-7',
        labels: { team: 'nlp' },
        gitCommit: 'abc123',
      },
      tools,
    );
    expect(inv.command).toBe('/opt/venv/bin/truss');
    expect(inv.args).toEqual([
      'push',
      '/src/model',
      '--remote',
      'baseten',
      '--output',
      'json',
      '--non-interactive',
      '--model-name',
      'sentiment',
      '--deployment-name',
      'release-7',
      '--labels',
      '{"team":"nlp","git_commit":"abc123"}',
    ]);
  });

  it('pushes an environment candidate with --environment and never --promote', () => {
    const inv = pushInvocation({ trussDir: '/m', candidate: { kind: 'environment', name: 'staging' } }, tools);
    expect(inv.args.slice(-2)).toEqual(['--environment', 'staging']);
    expect(inv.args).not.toContain('--promote');
    expect(inv.args).not.toContain('--labels');
  });

  it('creates a development candidate through the truss SDK (the CLI would enter watch mode)', () => {
    const inv = pushInvocation(
      { trussDir: '/m', candidate: { kind: 'development' }, gitCommit: 'c0ffee' },
      { trussCliPath: trussCliPath(), remote: 'local' },
    );
    expect(inv.command).toBe(trussPython(trussCliPath()));
    expect(inv.args[0]).toBe('-c');
    expect(inv.args[1]).toContain('publish=False');
    expect(JSON.parse(inv.args[2] ?? '')).toEqual({ dir: '/m', remote: 'local', labels: { git_commit: 'c0ffee' } });
    expect(inv.args).not.toContain('--watch');
  });

  it('never puts an API key on the command line', () => {
    const inv = pushInvocation({ trussDir: '/m', candidate: { kind: 'published' } }, tools);
    expect(inv.args.join(' ')).not.toMatch(/api[-_]?key/i);
  });

  it('finds the interpreter truss runs in', () => {
    expect(trussPython('/nonexistent/bin/truss')).toBe(path.join('/nonexistent/bin', 'python3'));
  });
});
