import { configProblems, decodeTrussConfig } from '../../../src/emulator/push/config-check';
import trussSerialized from './truss-serialized-config.json';

describe('the server-side check of a pushed config', () => {
  it('accepts the config exactly as truss 0.18.36 serializes it (with keys the published schema lacks)', () => {
    expect(trussSerialized).toHaveProperty('bdn');
    expect(configProblems(trussSerialized)).toEqual([]);
  });

  it('names an unknown key and a wrongly typed value', () => {
    expect(configProblems({ model_name: 'm', resources: { cpu: '1', cpus: 2 } })).toEqual([
      expect.stringMatching(/^resources\.cpus: unknown key/),
    ]);
    expect(configProblems({ model_name: 'm', requirements: 'numpy' })).toEqual([
      expect.stringMatching(/^requirements: must be array/),
    ]);
    expect(configProblems(['not', 'a', 'mapping'])).toEqual(['config: must be an object (the parsed config.yaml)']);
  });

  it('decodes truss base64 JSON argument, and nothing else', () => {
    expect(decodeTrussConfig(Buffer.from('{"model_name":"m"}').toString('base64'))).toEqual({ model_name: 'm' });
    expect(decodeTrussConfig('%%%')).toBeUndefined();
  });
});
