import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec, KeylessCodec } from './codec';
import type { PayloadKeys } from './keys';

/**
 * What every worker and client of a namespace must share when payloads are sealed: the codec, and the failure
 * converter that moves failure messages into payloads so the codec seals them too. Without keys, payloads stay
 * plain and a sealed one read back fails with one clear line.
 */
export function dataConverterFor(keys: PayloadKeys | undefined): DataConverter {
  if (!keys) return { payloadCodecs: [new KeylessCodec()] };
  return { payloadCodecs: [new EncryptionCodec(keys)], failureConverterPath: require.resolve('./sealed-failures') };
}
