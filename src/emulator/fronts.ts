import { controlFront } from './control/front';
import type { EmulatorContext } from './context';
import type { Front } from './http/front';
import { inferenceFront } from './inference/front';
import { managementFront } from './management/front';
import { graphqlFront } from './push/graphql-front';
import { s3Front } from './push/s3-front';

/**
 * Every face of the emulator, in the order they are asked. Register a new front with one line here;
 * put host- or path-specific fronts (truss push's GraphQL on `localhost:8000` + `/graphql/`, the S3
 * upload endpoint `/<bucket>/<key>`, both from ./push/) before the management front, since the
 * management front also takes any `/v1/...` path on an unnamed host.
 */
export function buildFronts(ctx: EmulatorContext): Front[] {
  return [graphqlFront(ctx), s3Front(ctx), controlFront(ctx), inferenceFront(ctx), managementFront(ctx)];
}
