import { z } from 'zod';
import type { EmulatorContext } from '../context';
import { isNamedLocalHost, type Front } from '../http/front';
import { parseWith, InvalidInputError } from '../http/json-body';
import { apiKeyOf, type EmulatorRequest } from '../http/request';
import { sendJson, type JsonReply } from '../http/respond';
import { ServiceError } from '../lifecycle/service-error';
import { ArchiveError } from './archive';
import { GraphqlSyntaxError, parseOperation } from './graphql-parse';
import { GraphqlError, resolve } from './graphql-resolvers';
import { UploadError } from './upload-store';

const requestSchema = z.object({
  query: z.string().min(1),
  variables: z.record(z.string(), z.unknown()).nullish(),
});

const serviceCodes: Record<ServiceError['kind'], string> = {
  not_found: 'RESOURCE_NOT_FOUND',
  invalid: 'BAD_USER_INPUT',
  conflict: 'CONFLICT',
};

/** GraphQL errors travel with HTTP 200, as on Baseten; truss raises `ApiError(message, code)` from them. */
function graphqlErrors(code: string, message: string, status = 200): JsonReply {
  return { status, body: { errors: [{ message, extensions: { code } }] } };
}

function toReply(err: unknown, log: (message: string) => void): JsonReply {
  if (err instanceof GraphqlError) return graphqlErrors(err.code, err.message);
  if (err instanceof ServiceError) return graphqlErrors(serviceCodes[err.kind], err.message);
  if (err instanceof UploadError || err instanceof ArchiveError || err instanceof InvalidInputError)
    return graphqlErrors('BAD_USER_INPUT', err.message);
  if (err instanceof GraphqlSyntaxError) return graphqlErrors('GRAPHQL_PARSE_FAILED', err.message);
  log(`graphql: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return graphqlErrors('INTERNAL_SERVER_ERROR', err instanceof Error ? err.message : String(err));
}

/**
 * The GraphQL API that `truss push` and `truss predict` use: `POST http://localhost:8000/graphql/`
 * (through HTTP_PROXY), or `/graphql/` on the emulator's own address.
 */
export function graphqlFront(ctx: EmulatorContext): Front {
  async function reply(req: EmulatorRequest): Promise<{ reply: JsonReply; field?: string }> {
    if (req.method !== 'POST') return { reply: graphqlErrors('BAD_REQUEST', 'GraphQL takes POST requests', 405) };
    if (apiKeyOf(req) !== ctx.options.apiKey)
      return { reply: graphqlErrors('UNAUTHENTICATED', 'Missing or invalid API key', 401) };
    let field: string | undefined;
    try {
      let body: unknown;
      try {
        body = JSON.parse((await req.body()).toString('utf8'));
      } catch {
        throw new InvalidInputError('the body must be JSON: {"query": "...", "variables": {...}}');
      }
      const { query, variables } = parseWith(requestSchema, body, 'body');
      const op = parseOperation(query, variables ?? {});
      field = op.field;
      return { reply: { status: 200, body: { data: await resolve(ctx, op) } }, field };
    } catch (err) {
      return { reply: toReply(err, (message) => ctx.options.logger.error(message)), field };
    }
  }

  return {
    name: 'graphql',
    matches: (req) => /^\/graphql\/?$/.test(req.target.pathname) && !isNamedLocalHost(req.target.hostname),
    async handle(req, res) {
      const entry = ctx.requestLog.begin({ method: req.method, path: req.target.pathname, query: '' });
      const { reply: result, field } = await reply(req);
      if (field) entry.query = `field=${field}`;
      req.raw.resume();
      sendJson(res, result);
      ctx.requestLog.finish(entry, 'answered', result);
    },
  };
}
