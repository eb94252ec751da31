import { startNats, startRedis, type NatsHandle, type RedisHandle } from '@arb/testkit';
import type { BenchContext, BenchLogger } from './types';

export interface RunContext extends BenchContext {
  /** Runs every deferred cleanup (last first), then stops the servers. Never throws. */
  close(): Promise<void>;
}

export interface ContextOptions {
  readonly quick: boolean;
  readonly heavy?: boolean;
  readonly soakSeconds?: number | undefined;
  /** `--only` terms. */
  readonly only?: readonly string[];
  readonly root: string;
  readonly outDir: string;
  readonly log: BenchLogger;
}

export function createContext(opts: ContextOptions): RunContext {
  const memos = new Map<string, Promise<unknown>>();
  const cleanups: Array<() => Promise<void> | void> = [];
  let nats: Promise<NatsHandle> | undefined;
  let redis: Promise<RedisHandle> | undefined;
  const ctx: RunContext = {
    quick: opts.quick,
    heavy: opts.heavy ?? false,
    soakSeconds: opts.soakSeconds,
    named: (module) => (opts.only ?? []).includes(module),
    root: opts.root,
    outDir: opts.outDir,
    log: opts.log,
    nats() {
      nats ??= startNats({ jetstream: false });
      return nats;
    },
    redis() {
      redis ??= startRedis();
      return redis;
    },
    memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let p = memos.get(key) as Promise<T> | undefined;
      if (p === undefined) {
        p = compute();
        memos.set(key, p);
        // A failed computation is not cached: the next module may try again.
        p.catch(() => memos.delete(key));
      }
      return p;
    },
    defer(cleanup) {
      cleanups.push(cleanup);
    },
    async close() {
      for (const c of cleanups.reverse()) {
        try {
          await c();
        } catch (error) {
          opts.log.warn(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      const servers = [nats, redis].filter((p) => p !== undefined);
      await Promise.allSettled(servers.map(async (p) => (await p).stop()));
    },
  };
  return ctx;
}
