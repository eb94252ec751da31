import type { StartedTestContainer } from 'testcontainers';
import { ServerStartError } from './errors';
import { freePort } from './free-port';
import { redisUrl } from './local-redis';
import { probeNats, probeRedis, waitForProbe } from './probes';
import type { NatsHandle, NatsOptions, RedisHandle, RedisOptions, ServerHandle } from './types';

const NATS_IMAGE = 'nats:2.10-alpine';
const REDIS_IMAGE = 'redis:7-alpine';
const NATS_STORE = '/data/jetstream';

interface ContainerRecipe {
  image: string;
  containerPort: number;
  command: string[];
  readyLog: RegExp;
  /** Raw-socket check after start and restart, on top of the log wait. */
  probe(host: string, port: number): Promise<unknown>;
  url(host: string, port: number): string;
}

/**
 * Starts a container with its port bound to a fixed free host port, so `restart()` (container stop/start)
 * keeps host and port, and the container's file system (the JetStream store) survives it.
 */
async function startContainer(recipe: ContainerRecipe): Promise<ServerHandle> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const hostPort = await freePort();
  let container: StartedTestContainer;
  try {
    container = await new GenericContainer(recipe.image)
      .withCommand(recipe.command)
      .withExposedPorts({ container: recipe.containerPort, host: hostPort })
      .withWaitStrategy(Wait.forLogMessage(recipe.readyLog))
      .withStartupTimeout(60_000)
      .start();
  } catch (error) {
    throw new ServerStartError(`${recipe.image} container did not start: ${String(error)}`, { cause: error });
  }
  const host = container.getHost();
  const port = container.getMappedPort(recipe.containerPort);
  const ready = (): Promise<unknown> => waitForProbe(() => recipe.probe(host, port), 30_000);
  try {
    await ready();
  } catch (error) {
    await container.stop({ timeout: 1_000 });
    throw new ServerStartError(`${recipe.image} container does not answer on ${host}:${port}: ${String(error)}`, { cause: error });
  }
  let stopped = false;
  return {
    url: recipe.url(host, port),
    host,
    port,
    runtime: 'docker',
    pid: undefined,
    async restart() {
      if (stopped) throw new Error(`${recipe.image} container was stopped; start a new one`);
      await container.restart({ timeout: 5_000 });
      await ready();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await container.stop({ timeout: 5_000, remove: true, removeVolumes: true });
    },
  };
}

export async function startDockerNats(opts: NatsOptions = {}): Promise<NatsHandle> {
  const jetstream = opts.jetstream ?? true;
  const handle = await startContainer({
    image: NATS_IMAGE,
    containerPort: 4222,
    command: [...(jetstream ? ['-js', '-sd', NATS_STORE] : []), ...(opts.args ?? [])],
    readyLog: /Server is ready/,
    probe: (host, port) => probeNats(host, port, 1000, { ping: false }),
    url: (host, port) => `nats://${host}:${port}`,
  });
  return Object.assign(handle, { storeDir: NATS_STORE });
}

export async function startDockerRedis(opts: RedisOptions = {}): Promise<RedisHandle> {
  const password = opts.password;
  const handle = await startContainer({
    image: REDIS_IMAGE,
    containerPort: 6379,
    command: [
      'redis-server',
      '--save', '',
      '--appendonly', opts.appendonly === true ? 'yes' : 'no',
      ...(password === undefined ? [] : ['--requirepass', password]),
    ],
    readyLog: /Ready to accept connections/,
    probe: (host, port) => probeRedis(host, port, { timeoutMs: 1000, ...(password === undefined ? {} : { password }) }),
    url: (host, port) => redisUrl(host, port, password),
  });
  return Object.assign(handle, { password });
}
