/** Limits of one stream. Durations in ms; -1 = unlimited for bytes/messages; maxAgeMs 0 = keep forever. */
export interface StreamSpec {
  maxAgeMs: number;
  /** Nats-Msg-Id de-duplication window; clamped to maxAgeMs when that is set. */
  duplicateWindowMs: number;
  maxBytes: number;
  maxMsgs: number;
  replicas: number;
}

export interface BucketSpec {
  /** Values kept per key (1..64). */
  history: number;
  replicas: number;
}

/** A KV bucket whose entries also age out (`maxAgeMs` > 0): dead members' heartbeats vanish. */
export interface AgingBucketSpec extends BucketSpec {
  maxAgeMs: number;
}

export interface JetStreamSpec {
  /** ARB_OPPS: work queue of opportunities; short-lived by design (an old opportunity is worthless). */
  opportunities: StreamSpec;
  /** ARB_EXECS: the durable trade journal. */
  executions: StreamSpec;
  /** arb_config KV bucket: runtime overrides and kill switch. */
  config: BucketSpec;
  /** arb_members KV bucket: heartbeats of replica group members (dynamic symbol ownership); one value per key. */
  members: AgingBucketSpec;
}

export type JetStreamSpecOverrides = {
  [K in keyof JetStreamSpec]?: Partial<JetStreamSpec[K]>;
};

export const defaultJetStreamSpec: JetStreamSpec = Object.freeze({
  opportunities: Object.freeze({ maxAgeMs: 30_000, duplicateWindowMs: 30_000, maxBytes: -1, maxMsgs: -1, replicas: 1 }),
  executions: Object.freeze({ maxAgeMs: 0, duplicateWindowMs: 3_600_000, maxBytes: -1, maxMsgs: -1, replicas: 1 }),
  config: Object.freeze({ history: 16, replicas: 1 }),
  // Liveness is judged by the watchers (ownership ttlMs, seconds); max age only clears the keys of dead members.
  members: Object.freeze({ history: 1, replicas: 1, maxAgeMs: 300_000 }),
});

/** The default spec with `overrides` applied field by field. */
export function resolveJetStreamSpec(overrides: JetStreamSpecOverrides = {}): JetStreamSpec {
  return {
    opportunities: { ...defaultJetStreamSpec.opportunities, ...overrides.opportunities },
    executions: { ...defaultJetStreamSpec.executions, ...overrides.executions },
    config: { ...defaultJetStreamSpec.config, ...overrides.config },
    members: { ...defaultJetStreamSpec.members, ...overrides.members },
  };
}

export const msToNanos = (ms: number): number => Math.round(ms * 1_000_000);

/** Overrides that give every stream and bucket `replicas` copies (`nats.replicas`). */
export function replicatedSpec(replicas: number): JetStreamSpecOverrides {
  return { opportunities: { replicas }, executions: { replicas }, config: { replicas }, members: { replicas } };
}
