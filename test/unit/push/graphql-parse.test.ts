import { GraphqlSyntaxError, parseOperation, stringArg } from '../../../src/emulator/push/graphql-parse';

describe('parsing the GraphQL documents truss sends', () => {
  it('reads a mutation root field, its interpolated literals and its $variables', () => {
    const query = `
      mutation ($trussUserEnv: String, $userDeployMetadata: JSONString, $rawConfig: String) {
          create_model_version_from_truss(
              model_id: "m1abc"
              s3_key: "models/u-1/truss.tgz"
              config: "eyJhIjogMX0="
              semver_bump: "MINOR"
              truss_user_env: $trussUserEnv
              scale_down_old_production: true
              preserve_env_instance_type: false
              environment_name: "staging"
              deploy_timeout_minutes: 30
              model_origin: BASETEN
              user_deploy_metadata: $userDeployMetadata
              raw_config: $rawConfig
          ) { model_version { id } }
      }`;
    const op = parseOperation(query, { userDeployMetadata: '{"git_commit":"abc"}', rawConfig: null });
    expect(op.field).toBe('create_model_version_from_truss');
    expect(op.args).toEqual({
      model_id: 'm1abc',
      s3_key: 'models/u-1/truss.tgz',
      config: 'eyJhIjogMX0=',
      semver_bump: 'MINOR',
      truss_user_env: null,
      scale_down_old_production: true,
      preserve_env_instance_type: false,
      environment_name: 'staging',
      deploy_timeout_minutes: 30,
      model_origin: 'BASETEN',
      user_deploy_metadata: '{"git_commit":"abc"}',
      raw_config: null,
    });
  });

  it('reads anonymous queries, named queries and fields without arguments', () => {
    expect(parseOperation('query Teams { teams { id name default } }')).toEqual({ field: 'teams', args: {} });
    expect(parseOperation('{ model_s3_upload_credentials { s3_bucket } }').field).toBe('model_s3_upload_credentials');
    expect(parseOperation('{ models(all: true) { id, name team { id } } }').args).toEqual({ all: true });
    expect(parseOperation('{ models(team_id: "t1", chainlets_only: true) { id } }').args).toEqual({
      team_id: 't1',
      chainlets_only: true,
    });
    expect(parseOperation('query{organization{workspace_name}user{email}}').field).toBe('organization');
  });

  it('keeps parentheses and escaped quotes inside string arguments', () => {
    const op = parseOperation('{ model(name: "a (b) \\"c\\"") { id } }');
    expect(stringArg(op, 'name')).toBe('a (b) "c"');
    expect(stringArg(op, 'id')).toBeUndefined();
  });

  it('rejects documents it cannot read with a message saying where', () => {
    expect(() => parseOperation('not graphql')).toThrow(GraphqlSyntaxError);
    expect(() => parseOperation('{ model(id: "x" { id } }')).toThrow(/expected an argument name/);
    expect(() => parseOperation('{ model(id: "x) { id } }')).toThrow(/unterminated string for argument id/);
  });
});
