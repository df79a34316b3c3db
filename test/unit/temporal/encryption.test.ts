import { randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { UsageError } from '../../../src/common/usage-error';
import { ConfigError } from '../../../src/config/env-schema';
import { EncryptionCodec, KeylessCodec, PayloadKeyError } from '../../../src/temporal/encryption/codec';
import { temporalSettingsFromEnv } from '../../../src/temporal/settings';
import { testEncryptionEnv, testKey } from '../../support/encryption';

const key = () => randomBytes(32).toString('base64');
const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    temporalSettingsFromEnv(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
};
const text = (payload: Payload | undefined) => Buffer.from(payload?.data ?? new Uint8Array()).toString('utf8');
const plain = (value: unknown) => defaultPayloadConverter.toPayload(value);

describe('encryption settings (read with the Temporal ones, by every process)', () => {
  it('are off without a key, and on with a key and its id', () => {
    expect(temporalSettingsFromEnv({}).encryption).toBeUndefined();
    const current = key();
    const settings = temporalSettingsFromEnv({
      BASETEN_CD_ENCRYPTION_KEY: current,
      BASETEN_CD_ENCRYPTION_KEY_ID: 'k2',
    });
    expect(settings.encryption?.keyId).toBe('k2');
    expect(settings.encryption?.keys.get('k2')?.toString('base64')).toBe(current);
  });

  it('keep older keys for opening what they sealed', () => {
    const old = key();
    const settings = temporalSettingsFromEnv({
      BASETEN_CD_ENCRYPTION_KEY: key(),
      BASETEN_CD_ENCRYPTION_KEY_ID: 'k2',
      BASETEN_CD_DECRYPTION_KEYS: ` k1=${old} , k0=${key()}`,
    });
    expect([...(settings.encryption?.keys.keys() ?? [])].sort()).toEqual(['k0', 'k1', 'k2']);
    expect(settings.encryption?.keys.get('k1')?.toString('base64')).toBe(old);
  });

  it('name every bad or missing variable on its own line, never quoting a key', () => {
    const secret = randomBytes(16).toString('base64');
    const problems = problemsOf({
      BASETEN_CD_ENCRYPTION_KEY: secret,
      BASETEN_CD_DECRYPTION_KEYS: `old=${secret}`,
    });
    expect(problems).toEqual([
      expect.stringMatching(/^BASETEN_CD_ENCRYPTION_KEY must be 32 random bytes in base64/),
      expect.stringMatching(/^BASETEN_CD_DECRYPTION_KEYS must be id=key pairs/),
      'BASETEN_CD_ENCRYPTION_KEY_ID is required with BASETEN_CD_ENCRYPTION_KEY (payloads name their key)',
    ]);
    expect(problems.join('\n')).not.toContain(secret);
    expect(problemsOf({ BASETEN_CD_ENCRYPTION_KEY_ID: 'k1' })).toEqual([
      'BASETEN_CD_ENCRYPTION_KEY_ID needs BASETEN_CD_ENCRYPTION_KEY (the key that seals new payloads)',
    ]);
    expect(problemsOf({ BASETEN_CD_ENCRYPTION_KEY: key(), BASETEN_CD_ENCRYPTION_KEY_ID: 'bad id' })).toEqual([
      'BASETEN_CD_ENCRYPTION_KEY_ID must be 1 to 64 letters, digits, dots, dashes or underscores',
    ]);
    expect(
      problemsOf({
        BASETEN_CD_ENCRYPTION_KEY: key(),
        BASETEN_CD_ENCRYPTION_KEY_ID: 'k1',
        BASETEN_CD_DECRYPTION_KEYS: `k1=${key()}`,
      }),
    ).toEqual(['BASETEN_CD_DECRYPTION_KEYS gives key id k1 another key than BASETEN_CD_ENCRYPTION_KEY']);
  });

  it('treat blank variables as unset', () => {
    expect(
      temporalSettingsFromEnv({ BASETEN_CD_ENCRYPTION_KEY: ' ', BASETEN_CD_ENCRYPTION_KEY_ID: '' }).encryption,
    ).toBe(undefined);
  });
});

describe('the payload codec (AES-256-GCM)', () => {
  const keysOf = (current: 'test-key-2026-a' | 'test-key-2026-b') =>
    temporalSettingsFromEnv(testEncryptionEnv(current)).encryption!;

  it('seals the whole payload, metadata included, naming only the key id, and opens it again', async () => {
    const codec = new EncryptionCodec(keysOf('test-key-2026-a'));
    const original = plain({ model: 'sentiment', reason: 'validation failed' });
    const [sealed] = await codec.encode([original]);
    expect(Object.keys(sealed?.metadata ?? {}).sort()).toEqual(['encoding', 'encryption-key-id']);
    expect(text({ data: sealed?.metadata?.encoding })).toBe('binary/encrypted');
    expect(text({ data: sealed?.metadata?.['encryption-key-id'] })).toBe('test-key-2026-a');
    expect(text(sealed)).not.toContain('sentiment');
    expect(text(sealed)).not.toContain('json/plain');
    const [opened] = await codec.decode([sealed as Payload]);
    expect(defaultPayloadConverter.fromPayload(opened as Payload)).toEqual({
      model: 'sentiment',
      reason: 'validation failed',
    });
  });

  it('never seals the same value the same way twice (a fresh IV each time)', async () => {
    const codec = new EncryptionCodec(keysOf('test-key-2026-a'));
    const [a, b] = await codec.encode([plain('same'), plain('same')]);
    expect(Buffer.from(a?.data ?? []).equals(Buffer.from(b?.data ?? []))).toBe(false);
  });

  it('opens what an older key sealed (rotation), and plain payloads pass through', async () => {
    const before = new EncryptionCodec(keysOf('test-key-2026-a'));
    const after = new EncryptionCodec(keysOf('test-key-2026-b'));
    const [old] = await before.encode([plain('sealed before the rotation')]);
    const [opened, untouched] = await after.decode([old as Payload, plain('never sealed')]);
    expect(defaultPayloadConverter.fromPayload(opened as Payload)).toBe('sealed before the rotation');
    expect(defaultPayloadConverter.fromPayload(untouched as Payload)).toBe('never sealed');
  });

  it('refuses a payload from a key it does not have, a forged key id, and altered bytes', async () => {
    const sealer = new EncryptionCodec({
      keyId: 'elsewhere',
      keys: new Map([['elsewhere', testKey('test-key-2026-a')]]),
    });
    const reader = new EncryptionCodec(keysOf('test-key-2026-b'));
    const [foreign] = await sealer.encode([plain('x')]);
    await expect(reader.decode([foreign as Payload])).rejects.toThrow(
      new PayloadKeyError(
        'a payload is sealed with key elsewhere, which this process does not have: give it in BASETEN_CD_DECRYPTION_KEYS',
      ),
    );
    // Same key bytes under another id: the id is bound to the ciphertext, so relabelling it fails.
    const relabelled = {
      ...foreign,
      metadata: { ...foreign?.metadata, 'encryption-key-id': Buffer.from('test-key-2026-a') },
    };
    await expect(reader.decode([relabelled])).rejects.toThrow(/does not open with that key/);
    const [good] = await reader.encode([plain('y')]);
    const data = Buffer.from(good?.data ?? []);
    data[20] = (data[20] ?? 0) ^ 1;
    await expect(reader.decode([{ ...good, data }])).rejects.toThrow(/does not open with that key/);
  });

  it('without keys passes plain payloads, and names the missing key of a sealed one (a usage error: exit 2)', async () => {
    const [sealed] = await new EncryptionCodec(keysOf('test-key-2026-a')).encode([plain('x')]);
    const keyless = new KeylessCodec();
    const [untouched] = await keyless.encode([plain('plain')]);
    expect(defaultPayloadConverter.fromPayload((await keyless.decode([untouched as Payload]))[0] as Payload)).toBe(
      'plain',
    );
    const refusal = keyless.decode([sealed as Payload]);
    await expect(refusal).rejects.toThrow(
      'a payload is sealed with key test-key-2026-a, but BASETEN_CD_ENCRYPTION_KEY is not set: give the keys the workers use',
    );
    await expect(refusal).rejects.toBeInstanceOf(UsageError);
  });
});
