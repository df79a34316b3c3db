import { BasetenClient, BasetenConfigError } from '../../../src/baseten';

const envNames = ['BASETEN_API_KEY', 'BASETEN_API_URL', 'BASETEN_INFERENCE_URL'] as const;
const saved = Object.fromEntries(envNames.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const name of envNames) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

beforeEach(() => {
  for (const name of envNames) delete process.env[name];
});

describe('BasetenClient options', () => {
  it('refuses to start without an API key, naming the option and the env var', () => {
    expect(() => new BasetenClient()).toThrow(
      new BasetenConfigError('Baseten API key is missing: pass apiKey or set BASETEN_API_KEY'),
    );
  });

  it('treats a blank BASETEN_API_KEY as unset', () => {
    process.env.BASETEN_API_KEY = '   ';
    expect(() => new BasetenClient()).toThrow(BasetenConfigError);
  });

  it('reads the API key from BASETEN_API_KEY when not passed explicitly', () => {
    process.env.BASETEN_API_KEY = ' from-env ';
    expect(() => new BasetenClient()).not.toThrow();
  });

  it('rejects an inference URL template without {model_id}', () => {
    expect(() => new BasetenClient({ apiKey: 'k', inferenceUrl: 'https://model.example.test' })).toThrow(
      /inferenceUrl \(BASETEN_INFERENCE_URL\) must contain \{model_id\}/,
    );
    process.env.BASETEN_INFERENCE_URL = 'http://127.0.0.1:9/models';
    expect(() => new BasetenClient({ apiKey: 'k' })).toThrow(BasetenConfigError);
  });

  it('rejects a management URL that is not http(s)', () => {
    expect(() => new BasetenClient({ apiKey: 'k', managementUrl: 'api.baseten.co' })).toThrow(
      'managementUrl (BASETEN_API_URL) is not a valid URL: api.baseten.co',
    );
    process.env.BASETEN_API_URL = 'ftp://api.example.test';
    expect(() => new BasetenClient({ apiKey: 'k' })).toThrow('must be an http(s) URL');
  });

  it('rejects contradictory numbers: negative or fractional retries, non-positive timeouts', () => {
    expect(() => new BasetenClient({ apiKey: 'k', maxRetries: -1 })).toThrow('maxRetries must be a whole number >= 0');
    expect(() => new BasetenClient({ apiKey: 'k', maxRetries: 1.5 })).toThrow(BasetenConfigError);
    expect(() => new BasetenClient({ apiKey: 'k', timeoutMs: 0 })).toThrow('timeoutMs must be a positive number');
    expect(() => new BasetenClient({ apiKey: 'k', predictTimeoutMs: Number.NaN })).toThrow('predictTimeoutMs');
  });

  it('never echoes the API key in a configuration error', () => {
    const key = 'sk-secret-value';
    expect(() => new BasetenClient({ apiKey: key, inferenceUrl: 'nope' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(key) as unknown }) as Error,
    );
  });
});
