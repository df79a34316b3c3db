import { temporalEnvironment } from '../../src/temporal/settings';
import { runCli } from './support/cli';

/** The help line of one variable, with runs of spaces collapsed (each command aligns its own block). */
function helpLine(help: string, variable: string): string | undefined {
  return help
    .split('\n')
    .find((line) => line.trimStart().startsWith(`${variable} `))
    ?.replace(/\s+/g, ' ')
    .trim();
}

it('worker --help and deploy --help document the same Temporal variables, the same way', async () => {
  const [worker, deploy] = await Promise.all([runCli(['worker', '--help']), runCli(['deploy', '--help'])]);
  expect([worker.code, deploy.code]).toEqual([0, 0]);
  for (const [variable, what] of temporalEnvironment) {
    expect(helpLine(worker.stdout, variable)).toBe(`${variable} ${what}`);
    expect(helpLine(deploy.stdout, variable)).toBe(`${variable} ${what}`);
  }
});
