import { emulatorEnv, formatEnvFile } from '../../../src/emulator/env-file';

test('the env file holds the Baseten variables, single-quoted so a shell keeps {model_id} and quotes literal', () => {
  const vars = emulatorEnv({
    managementUrl: 'http://127.0.0.1:1',
    inferenceUrl: 'http://127.0.0.1:1/inference/{model_id}',
    apiKey: "k'ey",
  });
  expect(formatEnvFile(vars)).toBe(
    "BASETEN_API_URL='http://127.0.0.1:1'\nBASETEN_INFERENCE_URL='http://127.0.0.1:1/inference/{model_id}'\nBASETEN_API_KEY='k'\\''ey'\n",
  );
});

test('a variable name a shell cannot set is refused', () => {
  expect(() => formatEnvFile({ 'BAD-NAME': 'x' })).toThrow('not an environment variable name: BAD-NAME');
});
