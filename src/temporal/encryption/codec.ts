import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { UsageError } from '../../common/usage-error';
import type { PayloadKeys } from './keys';

/** The encoding of a sealed payload, and the metadata key naming the key that sealed it (Temporal's convention). */
export const sealedEncoding = 'binary/encrypted';
export const keyIdMetadata = 'encryption-key-id';

const ivBytes = 12;
const tagBytes = 16;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A payload no key of this process opens, or that was tampered with: the process was given the wrong keys, so
 * the CLI says so in one line and exits 2. Never names a key, only its id.
 */
export class PayloadKeyError extends UsageError {
  override name = 'PayloadKeyError';
}

/** The id of the key that sealed a payload; undefined when it is not sealed. */
function sealedKeyId(payload: Payload): string | undefined {
  const encoding = payload.metadata?.encoding;
  if (!encoding || decoder.decode(encoding) !== sealedEncoding) return undefined;
  const idBytes = payload.metadata?.[keyIdMetadata];
  return idBytes ? decoder.decode(idBytes) : '(none)';
}

/**
 * Seals every payload with AES-256-GCM under the current key: the whole payload (its metadata too, so not even
 * its encoding shows) becomes `iv | ciphertext | tag`, with the key id in the clear beside it and bound to the
 * ciphertext as authenticated data. Opens payloads sealed under any key it knows; passes plain ones through.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { keyId } = this.keys;
    const key = this.key(keyId);
    return payloads.map((payload) => {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(keyId));
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: encoder.encode(sealedEncoding), [keyIdMetadata]: encoder.encode(keyId) },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const keyId = sealedKeyId(payload);
      if (keyId === undefined) return payload;
      const data = payload.data ?? new Uint8Array();
      if (data.length < ivBytes + tagBytes)
        throw new PayloadKeyError(`a payload sealed with key ${keyId} is cut short`);
      const decipher = createDecipheriv('aes-256-gcm', this.key(keyId), data.subarray(0, ivBytes));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(data.subarray(data.length - tagBytes));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(ivBytes, data.length - tagBytes)), decipher.final()]);
      } catch {
        throw new PayloadKeyError(
          `a payload sealed with key ${keyId} does not open with that key (wrong key, or altered)`,
        );
      }
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }

  private key(keyId: string): Buffer {
    const key = this.keys.keys.get(keyId);
    if (!key) {
      throw new PayloadKeyError(
        `a payload is sealed with key ${keyId}, which this process does not have: give it in BASETEN_CD_DECRYPTION_KEYS`,
      );
    }
    return key;
  }
}

/**
 * For processes without BASETEN_CD_ENCRYPTION_KEY: payloads pass as they are, and a sealed one read from the server
 * fails with one line that says which key is missing (instead of the SDK's "Unknown encoding").
 */
export class KeylessCodec implements PayloadCodec {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads;
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    for (const payload of payloads) {
      const keyId = sealedKeyId(payload);
      if (keyId !== undefined) {
        throw new PayloadKeyError(
          `a payload is sealed with key ${keyId}, but BASETEN_CD_ENCRYPTION_KEY is not set: give the keys the workers use`,
        );
      }
    }
    return payloads;
  }
}
