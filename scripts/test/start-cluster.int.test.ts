import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, natsRequest } from '@arb/testkit';
import { cleanEnv, isAlive, root, Stack } from './stack-process';

interface StreamInfo {
  config?: { num_replicas?: number };
  cluster?: { leader?: string; replicas?: { name: string; current: boolean }[] };
  error?: unknown;
}

async function until<T>(what: string, get: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await get();
      if (v !== undefined) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${String(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('npm start -- --nats-cluster 3', () => {
  let dir: string;
  let stack: Stack | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'arb-start-cluster-'));
    // The real stats service: it provisions ARB_OPPS, ARB_EXECS and arb_config from its config (nats.replicas).
    const stats = JSON.stringify(join(root, 'services', 'stats', 'dist', 'main.js'));
    writeFileSync(join(dir, 'stack.mjs'), `export const services = [{ name: 'stats', entry: ${stats}, readyLine: /"http server listening"/ }];\n`);
  });

  afterAll(async () => {
    await stack?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a cluster size outside 1..5 with exit 2', async () => {
    const bad = new Stack(['--nats-cluster', '7', '--data-dir', join(dir, 'bad')], cleanEnv());
    expect((await bad.exited).code).toBe(2);
    expect(bad.output).toMatch(/--nats-cluster must be a whole number of nodes from 1 to 5 \(got 7\)/);
  });

  it('runs three routed nats-server nodes, hands the services every URL and 3 replicas, and the streams are R3', async () => {
    const clientPort = await freePort();
    stack = new Stack(['--nats-cluster', '3', '--stack', join(dir, 'stack.mjs'), '--data-dir', join(dir, 'data'), '--summary', 'plain'], {
      ...cleanEnv(),
      ARB__NATS__URL: `nats://127.0.0.1:${clientPort}`,
      ARB__REDIS__URL: `redis://127.0.0.1:${await freePort()}`,
      ARB__HTTP__PORT: '0',
    });
    const ready = await stack.waitFor(/NATS cluster ready: 3 nodes at (\S+) \(JetStream, streams and config bucket with 3 replicas\)/, 90_000);
    const urls = (ready[1] ?? '').split(',');
    expect(urls).toHaveLength(3);
    expect(urls[0]).toBe(`nats://127.0.0.1:${clientPort}`);
    const pids = [];
    for (const name of ['nats-1', 'nats-2', 'nats-3']) {
      const m = await stack.waitFor(new RegExp(`${name} pid (\\d+), monitoring (http://\\S+), data in (\\S+)`));
      pids.push(Number(m[1]));
      expect(isAlive(Number(m[1]))).toBe(true);
      expect(existsSync(join(m[3] ?? '', 'nats.conf'))).toBe(true);
      const routes = (await (await fetch(`${m[2]}/routez`)).json()) as { num_routes: number };
      expect(routes.num_routes).toBe(2);
    }
    await stack.waitFor(/stack up: 1 service process/, 60_000);

    const first = new URL(urls[0] ?? '');
    const info = await until('ARB_EXECS replicated on all three nodes', async () => {
      const i = JSON.parse(await natsRequest(first.hostname, Number(first.port), '$JS.API.STREAM.INFO.ARB_EXECS')) as StreamInfo;
      return i.cluster?.leader !== undefined && (i.cluster.replicas ?? []).length === 2 ? i : undefined;
    });
    expect(info.config?.num_replicas).toBe(3);
    for (const name of ['ARB_OPPS', 'KV_arb_config']) {
      const i = JSON.parse(await natsRequest(first.hostname, Number(first.port), `$JS.API.STREAM.INFO.${name}`)) as StreamInfo;
      expect(i.config?.num_replicas).toBe(3);
    }

    stack.proc.kill('SIGTERM');
    const { code } = await stack.exited;
    expect(stack.output).toMatch(/services: 1 started, 0 died, all stopped cleanly/);
    expect(code).toBe(0);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });
});
