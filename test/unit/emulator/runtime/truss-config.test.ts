import path from 'node:path';
import { readTrussConfig, TrussConfigError } from '../../../../src/emulator/runtime';
import { examplePath, writeTrussFiles } from '../../../support/trusses';

const model = 'class Model:\n    def predict(self, model_input):\n        return model_input\n';

async function configError(files: Record<string, string>): Promise<TrussConfigError> {
  const trussDir = writeTrussFiles(files);
  const error = await readTrussConfig(trussDir).catch((err: unknown) => err);
  expect(error).toBeInstanceOf(TrussConfigError);
  return error as TrussConfigError;
}

describe('readTrussConfig', () => {
  it.each(['text-transform', 'sentiment', 'sentiment-broken'])(
    'reads the %s example with its model name and example input',
    async (name) => {
      const config = await readTrussConfig(examplePath(name));
      expect(config.modelName).toMatch(/^(text-transform|sentiment)$/);
      expect(config.modelMetadata.example_model_input).toEqual({ text: expect.any(String) as string });
    },
  );

  it("applies truss's defaults for the model file and class", async () => {
    const config = await readTrussConfig(writeTrussFiles({ 'config.yaml': '', 'model/model.py': model }));
    expect(config).toEqual({
      requirements: [],
      environmentVariables: {},
      secrets: {},
      modelMetadata: {},
      modelModuleDir: 'model',
      modelClassFilename: 'model.py',
      modelClassName: 'Model',
      raw: {},
    });
  });

  it('honours a custom model module dir, file and class name', async () => {
    const trussDir = writeTrussFiles({
      'config.yaml': 'model_module_dir: src\nmodel_class_filename: serve.py\nmodel_class_name: Sentiment\n',
      'src/serve.py': model,
    });
    const config = await readTrussConfig(trussDir);
    expect(config).toMatchObject({
      modelModuleDir: 'src',
      modelClassFilename: 'serve.py',
      modelClassName: 'Sentiment',
    });
  });

  it('rejects a key truss does not know, naming it', async () => {
    const error = await configError({ 'config.yaml': 'model_name: x\ncolour: blue\n', 'model/model.py': model });
    expect(error.message).toMatch(/config\.yaml: colour: unknown key/);
    expect(error.keyPath).toBe('colour');
  });

  it('rejects an unknown nested key with its full path', async () => {
    const error = await configError({ 'config.yaml': 'resources:\n  gpu_count: 2\n', 'model/model.py': model });
    expect(error.message).toMatch(/config\.yaml: resources\.gpu_count: unknown key/);
  });

  it('rejects a value of the wrong type, naming the key and the expected type', async () => {
    const error = await configError({ 'config.yaml': 'resources:\n  cpu: 1\n', 'model/model.py': model });
    expect(error.message).toMatch(/config\.yaml: resources\.cpu: must be string$/);
    expect(error.file).toMatch(/config\.yaml$/);
  });

  it('lists every type a nullable key accepts', async () => {
    const error = await configError({ 'config.yaml': 'model_name: [a, b]\n', 'model/model.py': model });
    expect(error.message).toMatch(/model_name: must be string or null$/);
  });

  it('lists the allowed values of an enumerated key', async () => {
    const error = await configError({
      'config.yaml': 'runtime:\n  transport:\n    kind: carrier-pigeon\n',
      'model/model.py': model,
    });
    expect(error.message).toMatch(/runtime\.transport\.kind: must be one of "http", "websocket", "grpc"$/);
  });

  it('rejects YAML that does not parse, with the line', async () => {
    const error = await configError({ 'config.yaml': 'model_name: x\nrequirements: [a,\n', 'model/model.py': model });
    expect(error.message).toMatch(/config\.yaml: invalid YAML at line \d+/);
  });

  it('rejects a document that is not a mapping', async () => {
    const error = await configError({ 'config.yaml': '- just\n- a list\n', 'model/model.py': model });
    expect(error.message).toMatch(/config\.yaml: must be a mapping of keys$/);
  });

  it('rejects a folder without config.yaml', async () => {
    const error = await configError({ 'model/model.py': model });
    expect(error.message).toMatch(/config\.yaml: not found/);
  });

  it('rejects a Truss whose model file is missing', async () => {
    const error = await configError({ 'config.yaml': 'model_name: x\n' });
    expect(error.message).toContain(`model file ${path.join('model', 'model.py')} not found`);
  });

  it('rejects requirements together with requirements_file', async () => {
    const error = await configError({
      'config.yaml': 'requirements: [numpy]\nrequirements_file: requirements.txt\n',
      'requirements.txt': 'numpy\n',
      'model/model.py': model,
    });
    expect(error.keyPath).toBe('requirements_file');
  });

  it('rejects a requirements_file that does not exist', async () => {
    const error = await configError({ 'config.yaml': 'requirements_file: reqs.txt\n', 'model/model.py': model });
    expect(error.message).toMatch(/requirements_file: file reqs\.txt not found/);
  });
});
