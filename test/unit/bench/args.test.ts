import { benchmarkNames, benchUsage, parseBenchArgs } from '../../../bench/args';
import { UsageError } from '../../../src/common/usage-error';

describe('npm run bench flags', () => {
  it('runs every benchmark, in order, when no flag is given', () => {
    expect(parseBenchArgs([])).toEqual({ help: false, quick: false, updateBaseline: false, only: [...benchmarkNames] });
  });

  it('--help asks for the usage, which names every flag and every benchmark', () => {
    expect(parseBenchArgs(['--help']).help).toBe(true);
    expect(parseBenchArgs(['-h']).help).toBe(true);
    for (const flag of ['--quick', '--only', '--update-baseline', '--help']) expect(benchUsage).toContain(flag);
    for (const name of benchmarkNames) expect(benchUsage).toContain(name);
  });

  it('--only keeps the run order whatever order it is given in', () => {
    expect(parseBenchArgs(['--only', 'load-generator, orchestration']).only).toEqual([
      'orchestration',
      'load-generator',
    ]);
  });

  it('refuses an unknown benchmark, an unknown flag and a quick baseline, in one line each', () => {
    const refusals = [['--only', 'release,nope'], ['--bogus'], ['--quick', '--update-baseline']];
    for (const argv of refusals) {
      let thrown: unknown;
      try {
        parseBenchArgs(argv);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(UsageError);
      expect((thrown as Error).message).not.toContain('\n');
    }
  });
});
