/** The part of an ioredis client the mirror uses (a fake in unit tests). */
export interface MirrorClient {
  readonly status: string;
  pipeline(): MirrorPipeline;
}

export interface MirrorPipeline {
  set(key: string, value: string, px: 'PX', ttlMs: number): unknown;
  exec(): Promise<Array<[Error | null, unknown]> | null>;
}

export interface MirrorMetrics {
  /** Keys written to Redis. */
  written(n: number): void;
  /** A flush that failed as a whole (connection lost, timeout) or per-key errors. */
  failed(n: number): void;
  /** A flush skipped because Redis is not ready or the previous flush is still running. */
  skipped(reason: 'not-ready' | 'in-flight'): void;
  /** Values dropped: over `maxPending`, or expired before they could be written. */
  dropped(reason: 'full' | 'expired', n: number): void;
  pending(n: number): void;
}

export interface RedisMirrorOptions<V> {
  client: MirrorClient;
  /** Key TTL; a value held while Redis was down is written with what is left of it. */
  ttlMs: number;
  flushIntervalMs: number;
  /** Most keys held; a new key beyond it is dropped (updates of held keys always succeed). */
  maxPending: number;
  serialize: (value: V) => string;
  now: () => number;
  metrics?: MirrorMetrics;
  onError?: (err: unknown) => void;
}

interface Pending<V> {
  value: V;
  /** When `write` was called: the TTL counts from here. */
  ts: number;
}

/**
 * Write-behind, coalescing mirror of latest values to Redis. `write` is O(1) and never touches the network: it
 * keeps only the newest value per key. A timer flushes everything pending in one pipeline (SET key value PX ttl).
 * While Redis is not ready, flushes are skipped and values are held (bounded: at most `maxPending` keys); a failed
 * flush puts back what was not superseded meanwhile; only one flush runs at a time. Nothing here ever awaits Redis
 * on the caller's path, and serialization happens at flush time.
 */
export class RedisMirror<V> {
  private pending = new Map<string, Pending<V>>();
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: RedisMirrorOptions<V>) {}

  write(key: string, value: V): void {
    const p = this.pending;
    if (p.size >= this.opts.maxPending && !p.has(key)) {
      this.opts.metrics?.dropped('full', 1);
      return;
    }
    p.set(key, { value, ts: this.opts.now() });
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.flush(), this.opts.flushIntervalMs);
  }

  /** Stops the timer, waits for a running flush, and makes one last attempt if Redis is ready. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
    await this.flush();
  }

  /** Writes what is pending (resolves when done; never rejects). Skips when not ready or already flushing. */
  flush(): Promise<void> {
    const m = this.opts.metrics;
    if (this.inFlight !== undefined) {
      m?.skipped('in-flight');
      return this.inFlight;
    }
    m?.pending(this.pending.size);
    if (this.pending.size === 0) return Promise.resolve();
    if (this.opts.client.status !== 'ready') {
      m?.skipped('not-ready');
      return Promise.resolve();
    }
    const batch = this.pending;
    this.pending = new Map();
    const now = this.opts.now();
    const pipeline = this.opts.client.pipeline();
    const keys: string[] = [];
    let expired = 0;
    for (const [key, p] of batch) {
      const ttl = Math.floor(this.opts.ttlMs - (now - p.ts));
      if (ttl <= 0) {
        expired++;
        continue;
      }
      let text: string;
      try {
        text = this.opts.serialize(p.value);
      } catch (err) {
        m?.failed(1);
        this.opts.onError?.(err);
        continue;
      }
      pipeline.set(key, text, 'PX', ttl);
      keys.push(key);
    }
    if (expired > 0) m?.dropped('expired', expired);
    if (keys.length === 0) return Promise.resolve();
    this.inFlight = this.execute(pipeline, keys, batch).finally(() => {
      this.inFlight = undefined;
      m?.pending(this.pending.size);
    });
    return this.inFlight;
  }

  private async execute(pipeline: MirrorPipeline, keys: string[], batch: Map<string, Pending<V>>): Promise<void> {
    const m = this.opts.metrics;
    try {
      const results = await pipeline.exec();
      let errors = 0;
      for (const r of results ?? []) if (r[0] !== null) errors++;
      if (errors > 0) {
        m?.failed(errors);
        this.opts.onError?.(results?.find((r) => r[0] !== null)?.[0]);
      }
      m?.written(keys.length - errors);
    } catch (err) {
      m?.failed(keys.length);
      this.opts.onError?.(err);
      this.restore(keys, batch);
    }
  }

  /** Puts back the values of a failed flush unless a newer value arrived meanwhile (bounded like `write`). */
  private restore(keys: string[], batch: Map<string, Pending<V>>): void {
    for (const key of keys) {
      if (this.pending.has(key)) continue;
      if (this.pending.size >= this.opts.maxPending) {
        this.opts.metrics?.dropped('full', 1);
        continue;
      }
      const p = batch.get(key);
      if (p !== undefined) this.pending.set(key, p);
    }
  }
}
