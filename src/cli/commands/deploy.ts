import type { Command } from 'commander';
import type { EnvDoc } from '../../config/env-schema';
import { temporalEnvironment } from '../../temporal/settings';
import { environmentHelp } from '../env-help';
import { load } from '../lazy';
import { planRelease } from '../deploy/plan-release';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** What deploy reads besides the Temporal variables. */
const deployEnvironment: readonly EnvDoc[] = [
  ['TRUSS_REMOTE', 'trussrc remote the push uses (default baseten); the API key stays in trussrc/env'],
  ['TRUSS_CLI_PATH', 'truss executable (default: the provisioned one)'],
];

const exitCodesHelp = `

Exit codes: 0 promoted and verified, 1 other failure (production unchanged), 2 bad input (nothing started),
3 rejected by validation or approval, 4 build or deploy failed, 5 promotion failed and production was reverted
(verified), 6 promotion failed and production could NOT be reverted (it may serve the unverified candidate).`;

export function registerDeploy(program: Command): void {
  program
    .command('deploy')
    .description('push a candidate, validate it, promote it and verify production (a release)')
    .argument('<truss-dir>', 'the Truss folder (config.yaml and model/)')
    .option('--model-name <name>', 'model name (default: model_name in config.yaml)')
    .option('--environment <name>', 'environment to promote into (default: production)')
    .option('--candidate <kind>', 'published | development | environment:<name> (default: published)')
    .option('--validation <file>', 'validation file (YAML; default: one case from example_model_input in config.yaml)')
    .option('--deployment-name <name>', 'name of the candidate deployment')
    .option('--label <key=value>', 'label the candidate deployment (repeatable)', collect, [])
    .option('--git-commit <sha>', 'commit recorded on the candidate (default: git rev-parse HEAD in the truss dir)')
    .option('--approve-required', 'wait for `baseten-cd approve` before promoting')
    .option('--approval-timeout <duration>', 'how long to wait for approval before rejecting (default: 24h)')
    .option(
      '--supersede',
      'cancel a running release of the same model and environment, then start (one past its promote call finishes first)',
    )
    .option('--cleanup', 'deactivate a rejected candidate')
    .option('--no-wait', 'return once the candidate is pushed; the release continues on the workers')
    .option('--no-watch', 'start no production watcher after the release (default: watch until superseded)')
    .option(
      '--watch-interval <duration>',
      "time between two observations of production (default: the validation file's, else 10s)",
    )
    .option('--unhealthy-after <n>', 'consecutive bad observations before the watcher reverts (default 2)')
    .option('--max-error-rate <share>', 'the 5xx share of real traffic above which production is bad (default 0.05)')
    .option(
      '--max-p95 <duration>',
      'the p95 latency of real traffic above which production is bad (default: not judged)',
    )
    .option(
      '--rollout <strategy>',
      "rolling: promote through Baseten's rolling promotion (turned on for the environment), analysing each " +
        "traffic step against the validation file's rollout section; environment (default): rolling only when " +
        "the environment's promotion settings say so",
    )
    .option('--json', 'print one JSON result on stdout (progress goes to stderr)')
    .addHelpText(
      'after',
      environmentHelp('Environment:', [...temporalEnvironment, ...deployEnvironment]) + exitCodesHelp,
    )
    .action(async (trussDir: string, options: unknown) => {
      // Bad input is refused before the Temporal client is even loaded.
      const plan = await planRelease(trussDir, options);
      process.exitCode = await load.deploy().runDeploy(plan);
    });
}
