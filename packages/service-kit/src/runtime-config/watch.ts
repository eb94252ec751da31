import type { RuntimeConfig } from '@arb/contracts';
import type { KV, KvEntry } from '@nats-io/kv';
import { createRateLimitedLog, type RateLimitedLog } from '../log/rate-limited-log';
import { diffConfig, formatChanges, type ConfigChange } from './diff';
import { decodeRuntimeConfig, defaultRuntimeConfig } from './document';
import { messageOf } from './kv-errors';
import type { Logger } from '../log/logger';
import type { RuntimeConfigMetrics } from './metrics';

/** What a watcher reads through (a RuntimeConfigStore is one; named here so that watch.ts does not import store.ts). */
export interface RuntimeConfigSource {
  readonly kv: KV;
  readonly key: string;
  readonly nc: { isClosed(): boolean };
  readonly logger: Logger;
  readonly metrics: RuntimeConfigMetrics;
}

export interface RuntimeConfigChange {
  /** KV revision now in force (0: key never written → default document). */
  readonly revision: number;
  /** The document in force before (undefined on the initial call). */
  readonly previous: RuntimeConfig | undefined;
  /** What changed vs `previous` (ignoring updatedTs/updatedBy); everything on the initial call. */
  readonly changes: readonly ConfigChange[];
  readonly initial: boolean;
  /** `default` when the key is absent, deleted or purged (or invalid from the start). */
  readonly source: 'kv' | 'default';
}

export type RuntimeConfigListener = (config: RuntimeConfig, change: RuntimeConfigChange) => void | Promise<void>;

export interface RuntimeConfigWatch {
  /** The document in force (read this on the hot path: no I/O). */
  current(): RuntimeConfig;
  /** Its KV revision (0: default). */
  revision(): number;
  /** Stops watching; resolves when no listener call is running. Idempotent. */
  stop(): Promise<void>;
}

type WatchIterator = Awaited<ReturnType<KV['watch']>>;

const STAMPS = ['updatedTs', 'updatedBy'] as const;
const RETRY_MS = [100, 250, 500, 1_000, 2_000];

/** One KV watch session at a time (re-established after failures) feeding `listener` in revision order. */
export class RuntimeConfigWatcher implements RuntimeConfigWatch {
  private config: RuntimeConfig | undefined;
  private applied = -1;
  private sessionRevision = 0;
  private iter: WatchIterator | undefined;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private readonly warn: RateLimitedLog;

  constructor(
    private readonly store: RuntimeConfigSource,
    private readonly listener: RuntimeConfigListener,
    invalidLogIntervalMs: number,
  ) {
    this.warn = createRateLimitedLog(store.logger, invalidLogIntervalMs);
  }

  current(): RuntimeConfig {
    return this.config ?? defaultRuntimeConfig();
  }

  revision(): number {
    return Math.max(this.applied, 0);
  }

  async start(): Promise<void> {
    const iter = await this.openSession();
    this.running = this.run(iter);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.iter?.stop();
    this.wake?.();
    await this.running;
  }

  /** Watcher first, then a read: nothing written in between is missed; duplicates are skipped by revision. */
  private async openSession(): Promise<WatchIterator> {
    const iter = await this.store.kv.watch({ key: this.store.key });
    this.iter = iter;
    try {
      const entry = await this.store.kv.get(this.store.key);
      await this.apply(entry);
    } catch (err) {
      iter.stop();
      throw err;
    }
    return iter;
  }

  private async run(first: WatchIterator): Promise<void> {
    let iter: WatchIterator | undefined = first;
    for (let failures = 0; !this.stopped; ) {
      if (iter !== undefined) {
        try {
          for await (const entry of iter) {
            if (this.stopped) break;
            failures = 0;
            if (entry.revision > this.sessionRevision) await this.apply(entry);
          }
        } catch (err) {
          this.failed(err);
        }
      }
      if (this.stopped || this.store.nc.isClosed()) return;
      await this.pause(RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)] ?? 2_000);
      if (this.stopped) return;
      try {
        iter = await this.openSession();
      } catch (err) {
        iter = undefined;
        this.failed(err);
      }
    }
  }

  private async apply(entry: KvEntry | null): Promise<void> {
    const revision = entry?.revision ?? 0;
    this.sessionRevision = revision;
    if (revision === this.applied) return; // seen in an earlier session
    let next: RuntimeConfig;
    let source: RuntimeConfigChange['source'] = 'kv';
    if (entry === null || entry.operation !== 'PUT') {
      next = defaultRuntimeConfig();
      source = 'default';
    } else {
      const decoded = decodeRuntimeConfig(entry.value);
      if (!decoded.ok) {
        this.store.metrics.invalid.inc();
        this.warn('runtime-config-invalid', { revision, issues: decoded.issues.slice(0, 5) }, 'invalid runtime config ignored, last good one stays');
        if (this.config !== undefined) return;
        next = defaultRuntimeConfig(); // nothing good yet: the file config alone applies
        source = 'default';
      } else {
        next = decoded.config;
      }
    }
    await this.deliver(next, revision, source);
  }

  private async deliver(next: RuntimeConfig, revision: number, source: RuntimeConfigChange['source']): Promise<void> {
    const previous = this.config;
    const changes = diffConfig(previous ?? {}, next, STAMPS);
    this.config = next;
    this.applied = revision;
    const m = this.store.metrics;
    m.applied.inc();
    m.revision.set(revision);
    m.killSwitch.set(next.killSwitch ? 1 : 0);
    this.store.logger.info(
      { revision, source, updatedBy: next.updatedBy, killSwitch: next.killSwitch, changes: formatChanges(changes).slice(0, 20) },
      previous === undefined ? 'runtime config loaded' : 'runtime config changed',
    );
    try {
      await this.listener(next, { revision, previous, changes, initial: previous === undefined, source });
    } catch (err) {
      m.handlerErrors.inc();
      this.store.logger.error({ err, revision }, 'runtime config listener failed');
    }
  }

  private failed(err: unknown): void {
    if (this.stopped) return;
    this.store.metrics.watchErrors.inc();
    this.warn('runtime-config-watch', { error: messageOf(err) }, 'runtime config watch failed, re-establishing it');
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
