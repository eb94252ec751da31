import { ConfigError, loadConfig, NatsSection, validateConfig } from '@arb/service-kit';
import { Type } from '@sinclair/typebox';

const ReplicasSection = Type.Object(
  { nats: Type.Object({ replicas: NatsSection.properties.replicas }, { additionalProperties: true, default: {} }) },
  { additionalProperties: true },
);

/**
 * The copies `provision` gives ARB_OPPS, ARB_EXECS and the arb_config and arb_members buckets: `nats.replicas` of the config the
 * services load (so `ARB__NATS__REPLICAS` works too, as in the k8s Job on a NATS cluster), else ARB__NATS__REPLICAS
 * alone (no config directory), else 1. The services check the streams against the same value, so it must match
 * theirs; an invalid value is a ConfigError, never a silent 1.
 */
export function resolveNatsReplicas(env: Record<string, string | undefined>, cwd: string): number {
  try {
    return loadConfig(ReplicasSection, { env, cwd }).nats.replicas;
  } catch (err) {
    // Only a missing config directory falls back; an invalid value (issues named) is the caller's error.
    if (!(err instanceof ConfigError) || err.issues.length > 0) throw err;
  }
  const fromEnv = env.ARB__NATS__REPLICAS;
  return validateConfig(ReplicasSection, { nats: fromEnv === undefined || fromEnv === '' ? {} : { replicas: Number(fromEnv) } }).nats.replicas;
}
