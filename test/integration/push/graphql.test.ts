import { startTestEmulator, type TestEmulator } from '../../support/emulator';

/** The GraphQL answers truss relies on for its errors (the happy paths run through the real CLI elsewhere). */
describe('emulator GraphQL for truss', () => {
  let te: TestEmulator;
  beforeAll(async () => {
    te = await startTestEmulator();
  });
  afterAll(async () => {
    await te?.close();
  });

  const graphql = (query: string, apiKey?: string | null) => te.call('POST', '/graphql/', { query }, { apiKey });

  it('refuses a request without the API key with HTTP 401', async () => {
    const reply = await graphql('query Teams { teams { id name default } }', null);
    expect(reply).toMatchObject({ status: 401, body: { errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] } });
  });

  it('reports an unknown model as RESOURCE_NOT_FOUND with HTTP 200, as truss expects', async () => {
    const reply = await graphql('{ model(id: "nosuch") { id name hostname primary_version { id } } }');
    expect(reply).toMatchObject({
      status: 200,
      body: { errors: [{ message: 'Model nosuch not found', extensions: { code: 'RESOURCE_NOT_FOUND' } }] },
    });
  });

  it('fails truss_validation for a config the schema refuses, listing the errors', async () => {
    const config = Buffer.from(JSON.stringify({ model_name: 'm', resources: { cpus: 2 } })).toString('base64');
    const reply = await graphql(`query { truss_validation(config: "${config}") { success details } }`);
    const result = (reply.body as { data: { truss_validation: { success: boolean; details: string } } }).data;
    expect(result.truss_validation.success).toBe(false);
    expect(JSON.parse(result.truss_validation.details)).toEqual({
      warnings: [],
      errors: [expect.stringMatching(/^resources\.cpus: unknown key/)],
    });
  });

  it('names a field it does not serve', async () => {
    const reply = await graphql('{ chains(all: true) { id } }');
    expect(reply.body).toEqual({
      errors: [{ message: 'Cannot query field "chains"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    });
  });

  it('refuses to create from an s3_key it never issued', async () => {
    const reply = await graphql(
      'mutation { create_model_from_truss(name: "m", s3_key: "models/x/truss.tgz", config: "e30=") { model_version { id } } }',
    );
    expect(reply.body).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(((await te.call('GET', '/v1/models')).body as { models: unknown[] }).models).toEqual([]);
  });
});
