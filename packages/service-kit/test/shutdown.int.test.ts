import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, startNats, startRedis } from '@arb/testkit';
import { Redis } from 'ioredis';
import { waitFor } from './helpers';

const ROOT = resolve(__dirname, '../../..');
const FIXTURE = join(__dirname, 'fixtures', 'service.mjs');

type Nats = Awaited<ReturnType<typeof startNats>>;
type RedisServer = Awaited<ReturnType<typeof startRedis>>;

interface Fixture {
  child: ChildProcess;
  lines: Array<Record<string, unknown>>;
  port: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

describe('graceful shutdown of a real service process', () => {
  let nats: Nats;
  let redisServer: RedisServer;
  let redis: Redis;
  let monitorPort: number;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    // The fixture runs the built package: build it (incremental, fast when up to date).
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'packages/service-kit'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (tsc.status !== 0) throw new Error(`tsc -b failed:\n${tsc.stdout}${tsc.stderr}`);
    monitorPort = await freePort();
    [nats, redisServer] = await Promise.all([startNats({ args: ['-m', String(monitorPort)] }), startRedis()]);
    redis = new Redis(redisServer.url, { lazyConnect: true });
    await redis.connect();
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    redis?.disconnect();
    await Promise.all([nats?.stop(), redisServer?.stop()]);
  });

  async function startFixture(instance: string, env: Record<string, string> = {}): Promise<Fixture> {
    const child = spawn(process.execPath, [FIXTURE], {
      cwd: __dirname,
      env: { ...process.env, NATS_URL: nats.url, REDIS_URL: redisServer.url, ARB_INSTANCE: instance, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: Array<Record<string, unknown>> = [];
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => {
      try {
        lines.push(JSON.parse(l) as Record<string, unknown>);
      } catch {
        lines.push({ raw: l });
      }
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
      child.once('exit', (code, signal) => res({ code, signal })),
    );
    await waitFor(() => lines.some((l) => l.msg === 'fixture ready') || child.exitCode !== null, 15_000, 'fixture ready');
    const ready = lines.find((l) => l.msg === 'fixture ready');
    if (ready === undefined) throw new Error(`fixture did not start:\n${stderr}\n${JSON.stringify(lines)}`);
    return { child, lines, port: ready.port as number, exited };
  }

  const natsConnectionNames = async (): Promise<string[]> => {
    const res = await fetch(`http://127.0.0.1:${monitorPort}/connz`);
    const body = (await res.json()) as { connections?: Array<{ name?: string }> };
    return (body.connections ?? []).map((c) => c.name ?? '');
  };
  const redisClientList = async (): Promise<string> => (await redis.client('LIST')) as string;
  const status = async (port: number, path: string): Promise<number | 'closed'> => {
    try {
      return (await fetch(`http://127.0.0.1:${port}${path}`)).status;
    } catch {
      return 'closed';
    }
  };

  it('on SIGTERM: /readyz turns 503, hooks run, NATS and Redis connections close, exit 0', async () => {
    const fx = await startFixture('graceful', { HOOK_DELAY_MS: '800', UNHANDLED: '1' });
    const name = 'fixture-graceful';
    expect(await status(fx.port, '/readyz')).toBe(200);
    expect(await natsConnectionNames()).toContain(name);
    expect(await redisClientList()).toContain(`name=${name} `);
    // An unhandled rejection is logged, and does not kill the process.
    await waitFor(() => fx.lines.some((l) => l.msg === 'unhandled promise rejection'), 5_000, 'rejection log');
    expect(fx.child.exitCode).toBeNull();

    const sentAt = Date.now();
    fx.child.kill('SIGTERM');
    await waitFor(async () => (await status(fx.port, '/readyz')) === 503, 2_000, '/readyz 503');
    expect(await status(fx.port, '/healthz')).toBe(200);

    const { code, signal } = await fx.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    expect(fx.lines.find((l) => l.msg === 'shutdown complete')).toMatchObject({ code: 0 });
    expect(await status(fx.port, '/healthz')).toBe('closed');
    await waitFor(async () => !(await natsConnectionNames()).includes(name), 3_000, 'NATS connection gone');
    await waitFor(async () => !(await redisClientList()).includes(`name=${name} `), 3_000, 'Redis client gone');
  });

  it('exits 1 when a shutdown hook fails, still closing everything', async () => {
    const fx = await startFixture('failing', { HOOK_FAIL: '1' });
    fx.child.kill('SIGTERM');
    const { code } = await fx.exited;
    expect(code).toBe(1);
    expect(fx.lines.some((l) => l.msg === 'shutdown hook failed' && l.hook === 'failing-hook')).toBe(true);
    await waitFor(async () => !(await redisClientList()).includes('name=fixture-failing '), 3_000, 'Redis client gone');
  });

  it('a second signal exits at once', async () => {
    const fx = await startFixture('impatient', { HOOK_DELAY_MS: '20000' });
    fx.child.kill('SIGTERM');
    await waitFor(() => fx.lines.some((l) => l.msg === 'shutdown started'), 3_000, 'shutdown start');
    const sentAt = Date.now();
    fx.child.kill('SIGINT');
    const { code } = await fx.exited;
    expect(code).toBe(130);
    expect(Date.now() - sentAt).toBeLessThan(2_000);
  });
});
