import { createHash } from 'node:crypto';
import type { PayloadCodec } from '@temporalio/common';
import { EncryptionCodec } from '../../src/temporal/encryption/codec';

/**
 * The payload keys tests seal with: fixed (derived from their ids), so the run's secret scan can open every sealed
 * payload any suite left on the server. Never a key for anything real.
 */
export const testKeyIds = ['test-key-2026-a', 'test-key-2026-b'] as const;
export type TestKeyId = (typeof testKeyIds)[number];

export function testKey(id: TestKeyId): Buffer {
  return createHash('sha256').update(`baseten-cd test payload key ${id}`).digest();
}

/**
 * The environment that turns encryption on with `current` as the sealing key and every other test key as an older
 * one that still opens (BASETEN_CD_DECRYPTION_KEYS), as during a key rotation.
 */
export function testEncryptionEnv(current: TestKeyId): Record<string, string> {
  return {
    BASETEN_CD_ENCRYPTION_KEY: testKey(current).toString('base64'),
    BASETEN_CD_ENCRYPTION_KEY_ID: current,
    BASETEN_CD_DECRYPTION_KEYS: testKeyIds
      .filter((id) => id !== current)
      .map((id) => `${id}=${testKey(id).toString('base64')}`)
      .join(','),
  };
}

/** A codec that opens whatever any test key sealed (for scans of histories). */
export function testKeyRingCodecs(): PayloadCodec[] {
  const keys = new Map(testKeyIds.map((id) => [id, testKey(id)] as const));
  return [new EncryptionCodec({ keyId: testKeyIds[0], keys })];
}
