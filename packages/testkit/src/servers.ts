import { startDockerNats, startDockerRedis } from './docker-servers';
import { startLocalNats } from './local-nats';
import { startLocalRedis } from './local-redis';
import { ContainerRuntimeError } from './errors';
import { startLocalNatsCluster } from './local-nats-cluster';
import { resolveRuntime, runtimeSetting } from './runtime';
import type { NatsClusterHandle, NatsClusterOptions, NatsHandle, NatsOptions, RedisHandle, RedisOptions, Servers } from './types';

/** A NATS server for tests (JetStream on by default): container when Docker answers, local binary otherwise. */
export async function startNats(opts: NatsOptions = {}): Promise<NatsHandle> {
  return (await resolveRuntime()) === 'docker' ? startDockerNats(opts) : startLocalNats(opts);
}

/** A Redis server for tests: container when Docker answers, local binary otherwise. */
export async function startRedis(opts: RedisOptions = {}): Promise<RedisHandle> {
  return (await resolveRuntime()) === 'docker' ? startDockerRedis(opts) : startLocalRedis(opts);
}

/** NATS (JetStream) and Redis together; `stop()` stops both. If one fails to start, the other is stopped. */
export async function startServers(opts: { nats?: NatsOptions; redis?: RedisOptions } = {}): Promise<Servers> {
  const [nats, redis] = await Promise.allSettled([startNats(opts.nats), startRedis(opts.redis)]);
  if (nats.status === 'rejected' || redis.status === 'rejected') {
    await Promise.allSettled([nats, redis].map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    throw nats.status === 'rejected' ? nats.reason : (redis as PromiseRejectedResult).reason;
  }
  return {
    nats: nats.value,
    redis: redis.value,
    async stop() {
      const results = await Promise.allSettled([nats.value.stop(), redis.value.stop()]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

/**
 * A local NATS cluster of `size` nodes (default 3) with JetStream, routes through cuttable proxies, per-node
 * stop/start/kill/pause/isolate and leader lookups. Local nats-server binaries only (no containers).
 */
export async function startNatsCluster(opts: NatsClusterOptions = {}): Promise<NatsClusterHandle> {
  if (runtimeSetting() === 'docker') throw new ContainerRuntimeError('startNatsCluster runs local nats-server binaries only (ARB_TESTKIT_RUNTIME=docker was set)');
  return startLocalNatsCluster(opts);
}
