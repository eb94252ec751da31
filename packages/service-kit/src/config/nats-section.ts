import { Type, type Static } from '@sinclair/typebox';

/**
 * The `nats:` section of the shared config. `url`: one server, or every server of a cluster separated by commas.
 * `replicas`: copies of ARB_OPPS, ARB_EXECS and the arb_config bucket JetStream keeps (1 on a single server; the
 * cluster size, 3, on a 3-node cluster, so that losing a node loses nothing).
 */
export const NatsSection = Type.Object({
  url: Type.String({ minLength: 1 }),
  replicas: Type.Integer({ minimum: 1, maximum: 5, default: 1 }),
});
export type NatsSection = Static<typeof NatsSection>;
