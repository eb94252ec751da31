import { Type, type Static } from '@sinclair/typebox';

/**
 * `redis.sentinel`: Redis Sentinel failover. `nodes` empty = off (the one server of `redis.url`). With nodes, clients
 * ask the Sentinels for the current primary of group `name` and follow failovers; `redis.url` then only gives the
 * data nodes' credentials (`redis://user:password@...`, its host and port are not used) and the database.
 * `username` / `password`: the Sentinels' own authentication (not the data nodes'); '' = none.
 * `ackReplicas` / `ackTimeoutMs`: the executor waits (WAIT) for this many replicas to hold its coordination writes
 * before orders leave, at most this long; fewer = the opportunity is skipped (coordination-unavailable). 0 = no wait.
 */
export const RedisSentinelSection = Type.Object(
  {
    name: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9._-]+$', default: 'arb' }),
    nodes: Type.Array(Type.String({ pattern: '^[^\\s:/@]+:[0-9]{1,5}$' }), { default: [] }),
    username: Type.String({ default: '' }),
    password: Type.String({ default: '' }),
    ackReplicas: Type.Integer({ minimum: 0, maximum: 16, default: 1 }),
    ackTimeoutMs: Type.Integer({ minimum: 1, maximum: 10_000, default: 250 }),
  },
  { additionalProperties: false, default: {} },
);
export type RedisSentinelSection = Static<typeof RedisSentinelSection>;

/** The `redis:` section of the shared config: one server (`url`), or a Sentinel-monitored primary (see above). */
export const RedisSection = Type.Object(
  {
    url: Type.String({ pattern: '^rediss?://[^\\s]+$' }),
    sentinel: RedisSentinelSection,
  },
  { additionalProperties: false },
);
export type RedisSection = Static<typeof RedisSection>;
