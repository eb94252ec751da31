import { buckets, configKeys, type RuntimeConfig } from '@arb/contracts';
import { jetstream } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import { createLogger, type Logger } from '../log/logger';
import { nowMs, sleep } from '../time';
import { diffConfig, type ConfigChange } from './diff';
import { assertRuntimeConfig, decodeRuntimeConfig, defaultRuntimeConfig } from './document';
import { RuntimeConfigConflictError, RuntimeConfigInvalidError, RuntimeConfigUnavailableError } from './errors';
import { isStreamNotFound, isWrongLastSequence, messageOf } from './kv-errors';
import { runtimeConfigMetrics, type RuntimeConfigMetrics } from './metrics';
import { RuntimeConfigWatcher, type RuntimeConfigListener, type RuntimeConfigWatch } from './watch';

export interface RuntimeConfigStoreOptions {
  /** Default: silent. */
  logger?: Logger;
  /** Metrics (`runtime_config_*`) go here; default: a private registry. */
  registry?: Registry;
  /** Minimum time between two log lines about invalid documents; default 10 s. */
  invalidLogIntervalMs?: number;
  /** JetStream request timeout for reads and writes (ms); default nats.js' (5 s). */
  timeoutMs?: number;
}

/** The stored document: `exists` false (and `config` the default) when the key is absent, deleted or purged. */
export interface RuntimeConfigEntry {
  readonly config: RuntimeConfig;
  /** KV revision of the key's last operation; 0 when it was never written. Pass it as `expectedRevision`. */
  readonly revision: number;
  readonly exists: boolean;
}

export interface UpdateResult extends RuntimeConfigEntry {
  readonly previous: RuntimeConfig;
  /** Revision of `previous` (the one the write was conditioned on). */
  readonly previousRevision: number;
  /** What changed (ignoring updatedTs/updatedBy); empty → nothing was written. */
  readonly changes: ConfigChange[];
  readonly written: boolean;
}

export interface UpdateOptions {
  /** Stamped into `updatedBy`. */
  updatedBy: string;
  /** Read-modify-write attempts on revision conflicts; default 5. */
  maxAttempts?: number;
  /** Compute and validate the result, write nothing. */
  dryRun?: boolean;
}

const encoder = new TextEncoder();
const STAMPS = ['updatedTs', 'updatedBy'] as const;

/**
 * The runtime config document (KV bucket `arb_config`, key `runtime`): read, watch (live apply) and write with
 * optimistic concurrency. Every write is validated before it is sent; invalid stored documents are never applied.
 */
export class RuntimeConfigStore {
  readonly key = configKeys.runtime;
  readonly logger: Logger;
  readonly metrics: RuntimeConfigMetrics;

  constructor(
    readonly kv: KV,
    readonly nc: NatsConnection,
    readonly opts: RuntimeConfigStoreOptions = {},
  ) {
    this.logger = opts.logger ?? createLogger({ name: 'runtime-config', level: 'silent' });
    this.metrics = runtimeConfigMetrics(opts.registry ?? new Registry());
  }

  /** Binds to the `arb_config` bucket; RuntimeConfigUnavailableError if it does not exist (provisionJetStream makes it). */
  static async open(nc: NatsConnection, opts: RuntimeConfigStoreOptions = {}): Promise<RuntimeConfigStore> {
    const js = jetstream(nc, opts.timeoutMs === undefined ? {} : { timeout: opts.timeoutMs });
    const kv = await new Kvm(js).open(buckets.config);
    try {
      await kv.status();
    } catch (cause) {
      const why = isStreamNotFound(cause) ? 'does not exist (provisionJetStream creates it)' : `cannot be read: ${messageOf(cause)}`;
      throw new RuntimeConfigUnavailableError(`KV bucket ${buckets.config} ${why}`, { cause });
    }
    return new RuntimeConfigStore(kv, nc, opts);
  }

  /** The stored document; RuntimeConfigInvalidError (with `revision` and `value`) if what is stored is not valid. */
  async get(): Promise<RuntimeConfigEntry> {
    let e;
    try {
      e = await this.kv.get(this.key);
    } catch (cause) {
      throw new RuntimeConfigUnavailableError(`cannot read runtime config: ${messageOf(cause)}`, { cause });
    }
    if (e === null) return { config: defaultRuntimeConfig(), revision: 0, exists: false };
    if (e.operation !== 'PUT') return { config: defaultRuntimeConfig(), revision: e.revision, exists: false };
    const decoded = decodeRuntimeConfig(e.value);
    if (decoded.ok) return { config: decoded.config, revision: e.revision, exists: true };
    throw new RuntimeConfigInvalidError(
      `stored runtime config (revision ${e.revision}) is invalid: ${decoded.issues.slice(0, 3).join('; ')}`,
      decoded.issues,
      e.revision,
      decoded.value,
    );
  }

  /**
   * Validates `doc` (RuntimeConfigInvalidError, nothing written), then writes it as is. With `expectedRevision`
   * (0 = the key must never have been written) the write only happens if the key is still at that revision, else
   * RuntimeConfigConflictError. Resolves with the new revision.
   */
  async put(doc: RuntimeConfig, opts: { expectedRevision?: number } = {}): Promise<number> {
    const data = encoder.encode(JSON.stringify(assertRuntimeConfig(doc)));
    const expected = opts.expectedRevision;
    if (expected !== undefined && !(Number.isSafeInteger(expected) && expected >= 0)) {
      throw new RangeError(`expectedRevision must be a non-negative integer (got ${expected})`);
    }
    try {
      return await this.kv.put(this.key, data, expected === undefined ? {} : { previousSeq: expected });
    } catch (cause) {
      if (expected !== undefined && isWrongLastSequence(cause)) {
        throw new RuntimeConfigConflictError(expected, await this.revisionOrUndefined(), { cause });
      }
      throw new RuntimeConfigUnavailableError(`cannot write runtime config: ${messageOf(cause)}`, { cause });
    }
  }

  /**
   * Read-modify-write: `mutate` gets a copy of the current document and returns the new one (or undefined: no
   * change); the result is stamped (updatedTs, updatedBy), validated and written with the read revision; on a
   * conflict it starts over (mutate runs again on the newer document), up to `maxAttempts`.
   */
  async update(mutate: (current: RuntimeConfig) => RuntimeConfig | undefined, opts: UpdateOptions): Promise<UpdateResult> {
    const attempts = opts.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const cur = await this.get();
      const next = mutate(structuredClone(cur.config));
      const changes = next === undefined ? [] : diffConfig(cur.config, next, STAMPS);
      if (next === undefined || changes.length === 0) return { ...cur, previous: cur.config, previousRevision: cur.revision, changes: [], written: false };
      const stamped: RuntimeConfig = { ...next, updatedTs: nowMs(), updatedBy: opts.updatedBy };
      assertRuntimeConfig(stamped);
      if (opts.dryRun === true) {
        return { config: stamped, revision: cur.revision, exists: cur.exists, previous: cur.config, previousRevision: cur.revision, changes, written: false };
      }
      try {
        const revision = await this.put(stamped, { expectedRevision: cur.revision });
        return { config: stamped, revision, exists: true, previous: cur.config, previousRevision: cur.revision, changes, written: true };
      } catch (err) {
        if (!(err instanceof RuntimeConfigConflictError) || attempt >= attempts) throw err;
        await sleep(5 + Math.random() * 20 * attempt);
      }
    }
  }

  /**
   * Calls `onChange` with the document in force now (the default if the key is absent), then on every change, in
   * order (an async listener is awaited before the next change). Invalid documents are counted
   * (`runtime_config_invalid_total`), logged rate-limited and ignored: the last good document stays in force.
   * Resolves once the initial document has been delivered.
   */
  async watch(onChange: RuntimeConfigListener): Promise<RuntimeConfigWatch> {
    const watcher = new RuntimeConfigWatcher(this, onChange, this.opts.invalidLogIntervalMs ?? 10_000);
    await watcher.start();
    return watcher;
  }

  private async revisionOrUndefined(): Promise<number | undefined> {
    try {
      return (await this.kv.get(this.key))?.revision ?? 0;
    } catch {
      return undefined;
    }
  }
}
