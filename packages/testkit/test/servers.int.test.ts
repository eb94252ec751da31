import { existsSync, readdirSync } from 'node:fs';
import { isPortFree, probeNats, probeRedis, ServerStartError, startNats, startRedis, startServers, type Servers } from '@arb/testkit';
import { RawNats, RawRedis } from './raw-clients';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('testkit servers', () => {
  let servers: Servers;

  beforeAll(async () => {
    servers = await startServers();
  });

  afterAll(async () => {
    await servers.stop();
  });

  it('starts NATS with JetStream and Redis on loopback ports that answer PING with PONG', async () => {
    const { nats, redis } = servers;
    expect(nats.url).toBe(`nats://${nats.host}:${nats.port}`);
    expect(redis.url).toBe(`redis://${redis.host}:${redis.port}`);
    expect(nats.port).not.toBe(redis.port);
    expect((await probeNats(nats.host, nats.port)).jetstream).toBe(true);
    expect(await probeRedis(redis.host, redis.port)).toBe('PONG');

    const natsClient = await RawNats.connect(nats.host, nats.port);
    expect(await natsClient.ping()).toBe('PONG');
    await natsClient.close();
    const redisClient = await RawRedis.connect(redis.host, redis.port);
    expect(await redisClient.command('PING')).toBe('+PONG');
    await redisClient.close();
  });

  it('restart keeps the NATS port, the store dir and the JetStream data', async () => {
    const { nats } = servers;
    const before = { port: nats.port, url: nats.url, storeDir: nats.storeDir, pid: nats.pid };
    let client = await RawNats.connect(nats.host, nats.port);
    const created = JSON.parse(await client.request('$JS.API.STREAM.CREATE.KEEP', JSON.stringify({ name: 'KEEP', subjects: ['keep.>'], storage: 'file' })));
    expect(created.error).toBeUndefined();
    const ack = JSON.parse(await client.request('keep.one', 'hello'));
    expect(ack).toMatchObject({ stream: 'KEEP', seq: 1 });
    await client.close();

    await nats.restart();

    expect({ port: nats.port, url: nats.url, storeDir: nats.storeDir }).toEqual({ port: before.port, url: before.url, storeDir: before.storeDir });
    if (nats.runtime === 'local') {
      expect(nats.pid).toBeDefined();
      expect(nats.pid).not.toBe(before.pid);
      expect(isAlive(before.pid as number)).toBe(false);
      expect(readdirSync(nats.storeDir)).toContain('jetstream');
    }
    client = await RawNats.connect(nats.host, nats.port);
    const info = JSON.parse(await client.request('$JS.API.STREAM.INFO.KEEP', ''));
    expect(info.state.messages).toBe(1);
    await client.close();
  });

  it('restart keeps the Redis port', async () => {
    const { redis } = servers;
    const port = redis.port;
    await redis.restart();
    expect(redis.port).toBe(port);
    expect(await probeRedis(redis.host, redis.port)).toBe('PONG');
  });
});

describe('testkit options and stop', () => {
  it('Redis with a password rejects unauthenticated clients; appendonly data survives restart', async () => {
    const redis = await startRedis({ password: 's3cret', appendonly: true });
    try {
      expect(redis.url).toBe(`redis://:s3cret@${redis.host}:${redis.port}`);
      await expect(probeRedis(redis.host, redis.port)).rejects.toThrow(/NOAUTH/);
      expect(await probeRedis(redis.host, redis.port, { password: 's3cret' })).toBe('PONG');
      let client = await RawRedis.connect(redis.host, redis.port);
      expect(await client.command('AUTH', 's3cret')).toBe('+OK');
      expect(await client.command('SET', 'k', 'v')).toBe('+OK');
      await client.close();
      await redis.restart();
      client = await RawRedis.connect(redis.host, redis.port);
      await client.command('AUTH', 's3cret');
      expect(await client.command('GET', 'k')).toBe('v');
      await client.close();
    } finally {
      await redis.stop();
    }
  });

  it('NATS without JetStream says so in INFO', async () => {
    const nats = await startNats({ jetstream: false });
    try {
      expect((await probeNats(nats.host, nats.port)).jetstream).toBeFalsy();
    } finally {
      await nats.stop();
    }
  });

  it('NATS with auth in args starts (readiness needs only INFO) and announces auth_required', async () => {
    const nats = await startNats({ args: ['--user', 'u', '--pass', 'p'] });
    try {
      expect((await probeNats(nats.host, nats.port, 1000, { ping: false })).auth_required).toBe(true);
      await expect(probeNats(nats.host, nats.port)).rejects.toThrow(/Authorization Violation/);
    } finally {
      await nats.stop();
    }
  });

  it('stop kills the process, frees the port and removes the temp dir; stop twice is fine', async () => {
    const nats = await startNats();
    const redis = await startRedis();
    const pids = [nats.pid, redis.pid];
    await Promise.all([nats.stop(), redis.stop()]);
    await nats.stop();
    expect(await isPortFree(nats.port)).toBe(true);
    expect(await isPortFree(redis.port)).toBe(true);
    if (nats.runtime === 'local') {
      for (const pid of pids) {
        expect(pid).toBeDefined();
        expect(isAlive(pid as number)).toBe(false);
      }
      expect(nats.pid).toBeUndefined();
      expect(existsSync(nats.storeDir)).toBe(false);
    }
    await expect(nats.restart()).rejects.toThrow(/stopped/);
  });

  it('a server that exits during start-up fails with its output tail', async () => {
    const previous = process.env['ARB_TESTKIT_RUNTIME'];
    process.env['ARB_TESTKIT_RUNTIME'] = 'local';
    try {
      const error = await startNats({ args: ['--no-such-flag'] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ServerStartError);
      expect(String(error)).toMatch(/nats-server exited during start-up[\s\S]*no-such-flag/);
    } finally {
      if (previous === undefined) delete process.env['ARB_TESTKIT_RUNTIME'];
      else process.env['ARB_TESTKIT_RUNTIME'] = previous;
    }
  });
});
