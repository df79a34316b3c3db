import type { Command } from 'commander';
import { setupSearchAttributes, typeName } from '../../temporal/search-attribute-setup';
import { temporalEnvironment, temporalSettingsFromEnv } from '../../temporal/settings';
import { searchAttributes } from '../../workflows/search-attributes';
import { environmentHelp } from '../env-help';
import { load } from '../lazy';
import { createOutput } from '../output';

interface SetupOptions {
  json?: boolean;
}

export function registerSetup(program: Command): void {
  const attributeList = searchAttributes.map((key) => `  ${key.name} (${typeName(key.type)})`).join('\n');
  program
    .command('setup')
    .description('register the search attributes releases and watchers use on the Temporal namespace (idempotent)')
    .option('--json', 'print what was created and what already existed as one JSON object')
    .addHelpText(
      'after',
      `\nSearch attributes (created through the operator service when missing; a type clash is an error):\n${attributeList}\n` +
        environmentHelp('Environment:', temporalEnvironment),
    )
    .action(async (options: SetupOptions) => {
      const settings = temporalSettingsFromEnv();
      const out = createOutput(options.json ?? false);
      const target = { namespace: settings.namespace, address: settings.address };
      const temporal = await load.connect().connectClient(settings);
      try {
        const report = await setupSearchAttributes(temporal.connection, target);
        for (const key of report.created) out.line(`created         ${key.name} (${typeName(key.type)})`);
        for (const key of report.existing) out.line(`already existed ${key.name} (${typeName(key.type)})`);
        out.line(
          `namespace ${target.namespace} at ${target.address}: ${report.created.length} created, ${report.existing.length} already existed`,
        );
        const describe = (keys: typeof report.created) => keys.map((k) => ({ name: k.name, type: typeName(k.type) }));
        out.result({ ...target, created: describe(report.created), existing: describe(report.existing) });
      } finally {
        await temporal.close();
      }
    });
}
