import { startNats, startRedis, type NatsHandle, type RedisHandle } from '@arb/testkit';
import type { BenchContext } from '../types';

/** A nats-server with JetStream and a redis-server of one module's own (the services' streams and keys start empty). */
export interface ModuleServers {
  readonly nats: NatsHandle;
  readonly redis: RedisHandle;
  stop(): Promise<void>;
}

/**
 * Fresh servers for a module that runs real services: they provision JetStream streams and keep state in Redis
 * (inventory, idempotency, locks), so nothing may leak from one module into the next. Stopped by `stop()` or, at
 * the latest, at the end of the run. `natsArgs`: extra nats-server arguments (e.g. `-m <port>`: its monitoring endpoint).
 */
export async function moduleServers(ctx: BenchContext, o: { natsArgs?: readonly string[] } = {}): Promise<ModuleServers> {
  const [nats, redis] = await Promise.all([startNats({ jetstream: true, ...(o.natsArgs !== undefined ? { args: [...o.natsArgs] } : {}) }), startRedis()]);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= Promise.allSettled([nats.stop(), redis.stop()]).then(() => undefined);
    return stopped;
  };
  ctx.defer(stop);
  return { nats, redis, stop };
}
