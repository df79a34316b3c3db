import { once } from 'node:events';
import type { Command } from 'commander';
import { codecServerEnvironment, loadCodecServerConfig } from '../../temporal/encryption/codec-server-config';
import { encryptionEnvironment } from '../../temporal/encryption/keys';
import { environmentHelp } from '../env-help';
import { load } from '../lazy';
import { parseListenPort, refuseBusyPort } from '../listen-port';

interface CodecServerOptions {
  port: string;
  host: string;
}

export function registerCodecServer(program: Command): void {
  program
    .command('codec-server')
    .description("serve Temporal's remote codec endpoint, so the Temporal UI and CLI show sealed payloads decrypted")
    .option('--port <n>', 'port to listen on (0 picks a free one)', '8888')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .addHelpText(
      'after',
      [
        environmentHelp('Environment:', [...encryptionEnvironment, ...codecServerEnvironment]),
        '',
        'The Temporal UI cannot send a token header, so give it the token as the path: in the UI, open the Codec',
        'Server settings and set the browser endpoint to http://127.0.0.1:8888/<BASETEN_CD_CODEC_TOKEN> (kept in your',
        'browser; not --ui-codec-endpoint, which every UI user sees). The Temporal CLI sends the header:',
        '  temporal workflow show -w <id> --codec-endpoint http://127.0.0.1:8888 --codec-auth "Bearer $BASETEN_CD_CODEC_TOKEN"',
        'Requests without the token get 401; only the UI origin gets CORS allowance. Stop it with Ctrl-C.',
      ].join('\n'),
    )
    .action(async (options: CodecServerOptions) => {
      const port = parseListenPort(options.port);
      const config = loadCodecServerConfig();
      const server = await load
        .codecServer()
        .startCodecServer({ ...config, port, host: options.host })
        .catch(refuseBusyPort(port));
      console.error(
        `baseten-cd codec-server: listening on ${server.url} (POST /encode, /decode; the UI: ${server.url}/<token>); allowed origin ${config.allowedOrigin}; key ${config.keys.keyId} (${config.keys.keys.size} known)`,
      );
      await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
      await server.close();
    });
}
