/**
 * The NATS configuration of the k8s base (ConfigMap nats-config, passwords from Secret arb-nats), taken from the
 * rendered sim overlay and run by a real nats-server: the real detector, executor and stats (their start functions,
 * each logged in as its own NATS user) and a feed-ingestor stand-in do their whole NATS workflow without one
 * permission violation — books → opportunity (ARB_OPPS) → trade against a real exchange-sim → journal (ARB_EXECS) →
 * stats; runtime-config (KV) watch and write — and each user is refused what it must not do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subjects, validators, type BookSnapshot, type FeedStatus } from '@arb/contracts';
import { connectBus, createMetricsRegistry, createLogger, defaultRuntimeConfig, loadConfig, nowMs, RuntimeConfigStore, type Bus } from '@arb/service-kit';
import { freePort, requireBinary, ServiceProcess, startRedis, type RedisHandle } from '@arb/testkit';
import { DetectorConfig } from '../../services/detector/src/config';
import { DomainEvaluator } from '../../services/detector/src/domain-evaluator';
import { startDetector } from '../../services/detector/src/service';
import { ExecutorConfig } from '../../services/executor/src/config';
import { startExecutor } from '../../services/executor/src/service';
import { StatsConfig } from '../../services/stats/src/config';
import { startStats, type RunningStats } from '../../services/stats/src/service';
import { inProcessService, type InProcessService } from './lib/in-process-service';
import { listAt, objAt, pathAt, type JsonObject } from './lib/json';
import { nameOf, type K8sObject } from './lib/k8s-object';
import { containersOf, podSpecOf } from './lib/kustomize/transformers';
import { ManifestWorkspace, render, ROOT } from './lib/render';

const SYMBOL = 'BTC-USDT';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** nats-server run with the rendered configuration and the passwords the NATS Deployment gives it. */
class NatsServer {
  readonly lines: string[] = [];
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly exited: Promise<void>,
  ) {}

  static async start(conf: string, env: Record<string, string>, dir: string): Promise<NatsServer> {
    const port = await freePort();
    const monitor = await freePort();
    const file = join(dir, 'nats.conf');
    // Same file as the pod's, with the JetStream store in the test's directory instead of the PVC mount.
    writeFileSync(file, conf.replace(/store_dir:\s*\/data/, `store_dir: ${JSON.stringify(join(dir, 'js'))}`));
    const child = spawn(requireBinary('nats-server'), ['-c', file, '-a', '127.0.0.1', '-p', String(port), '-m', String(monitor)], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const server = new NatsServer(child, `nats://127.0.0.1:${port}`, exited);
    for (const s of [child.stdout, child.stderr]) {
      s?.setEncoding('utf8');
      s?.on('data', (chunk: string) => server.lines.push(...chunk.split('\n').filter(Boolean)));
    }
    await waitFor('nats-server to start', () => server.lines.some((l) => l.includes('Server is ready')) || child.exitCode !== null, 15_000);
    if (child.exitCode !== null) throw new Error(`nats-server exited:\n${server.lines.join('\n')}`);
    return server;
  }

  violations(): string[] {
    return this.lines.filter((l) => /Violation/.test(l));
  }

  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    await this.exited;
  }
}

/** The users' passwords, as the NATS Deployment maps arb-nats keys to NATS_<USER>_PASSWORD. */
function natsWiring(objects: readonly K8sObject[]): { conf: string; serverEnv: Record<string, string>; passwords: Record<string, string> } {
  const byPrefix = (kind: string, prefix: string): K8sObject => {
    const o = objects.find((x) => x.kind === kind && nameOf(x).startsWith(`${prefix}-`));
    if (o === undefined) throw new Error(`no ${kind} ${prefix}`);
    return o;
  };
  const conf = String(objAt(byPrefix('ConfigMap', 'nats-config'), 'data')?.['nats.conf']);
  const secret = byPrefix('Secret', 'arb-nats');
  const passwords: Record<string, string> = {};
  for (const [k, v] of Object.entries(objAt(secret, 'data') ?? {})) passwords[k] = Buffer.from(String(v), 'base64').toString('utf8');
  const deployment = objects.find((x) => x.kind === 'Deployment' && nameOf(x) === 'nats') as K8sObject;
  const serverEnv: Record<string, string> = {};
  for (const e of listAt(containersOf(podSpecOf(deployment))[0], 'env')) {
    const key = pathAt(e as JsonObject, ['valueFrom', 'secretKeyRef', 'key']);
    if (typeof key === 'string') serverEnv[String(e.name)] = passwords[key] as string;
  }
  return { conf, serverEnv, passwords };
}

/** Feed statuses and books for two venues with a qualifying cross: buy on binance, sell on coinbase. */
function feedMessages(seq: number): { statuses: FeedStatus[]; books: BookSnapshot[] } {
  const now = nowMs();
  const status = (venue: string): FeedStatus => ({
    v: 1,
    venue,
    state: 'live',
    ts: now,
    symbols: { [SYMBOL]: { state: 'live', bookAgeMs: 1, venueSeq: seq } },
    counters: { updates: seq, gaps: 0, checksumFailures: 0, resyncs: 0, reconnects: 0, rejected: 0 },
  });
  const book = (venue: string, bids: [string, string][], asks: [string, string][]): BookSnapshot => ({
    v: 1,
    venue,
    symbol: SYMBOL,
    seq,
    venueSeq: 1000 + seq,
    venueTs: Math.floor(now),
    recvTs: now,
    pubTs: now,
    bids,
    asks,
  });
  return {
    statuses: [status('binance'), status('coinbase')],
    books: [book('binance', [['64990.00', '1']], [['65000.00', '1']]), book('coinbase', [['65120.00', '1']], [['65130.00', '1']])],
  };
}

/** A connection as one user (service-kit's bus, which every service uses), failing at once when refused. */
function login(url: string, user: string | undefined, pass: string | undefined): Promise<Bus> {
  return connectBus({
    url,
    name: `test-${user ?? 'anonymous'}`,
    logger: createLogger({ name: `test-${user ?? 'anonymous'}`, level: 'silent' }),
    registry: createMetricsRegistry({ service: 'test' }),
    connect: { ...(user !== undefined ? { user, pass } : {}), maxReconnectAttempts: 0, reconnect: false },
  });
}

/** A client of one user, recording the permission errors the server sends it. */
async function client(url: string, user: string, pass: string): Promise<{ bus: Bus; errors: string[] }> {
  const bus = await login(url, user, pass);
  const errors: string[] = [];
  void (async () => {
    for await (const s of bus.nc.status()) if (s.type === 'error') errors.push(s.error.message);
  })();
  return { bus, errors };
}

describe('NATS accounts and permissions of the k8s manifests, with the real services', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arb-nats-perm-'));
  const ws = new ManifestWorkspace();
  let nats: NatsServer;
  let passwords: Record<string, string>;
  let redis: RedisHandle;
  let sim: ServiceProcess;
  let feed: Bus;
  let admin: Bus;
  const services: InProcessService[] = [];
  let stats: RunningStats;
  let env: Record<string, string>;

  beforeAll(async () => {
    const wiring = natsWiring(render(ws.overlay('sim')).objects);
    passwords = wiring.passwords;
    nats = await NatsServer.start(wiring.conf, wiring.serverEnv, dir);
    redis = await startRedis();
    sim = await ServiceProcess.start({
      name: 'exchange-sim',
      entry: join(ROOT, 'services/exchange-sim/dist/main.js'),
      cwd: ROOT,
      env: {
        ARB_CONFIG_DIR: join(ROOT, 'config'),
        ARB_MODE: 'sim',
        ARB__SIM__CONTROL__PORT: '0',
        ARB__SIM__VENUES__BINANCE__PORT: '0',
        ARB__SIM__VENUES__COINBASE__PORT: '0',
        ARB__LOG__LEVEL: 'warn',
      },
      readyLine: /"event":"listening"/,
      readyTimeoutMs: 20_000,
    });
    const listening = JSON.parse(sim.lines().find((l) => l.includes('"event":"listening"')) as string) as Record<string, { port: number }>;
    env = {
      ARB_CONFIG_DIR: join(ROOT, 'config'),
      ARB_MODE: 'sim',
      ARB__NATS__URL: nats.url,
      ARB__REDIS__URL: redis.url,
      ARB__HTTP__HOST: '127.0.0.1',
      ARB__HTTP__PORT: '0',
      ARB__LOG__LEVEL: 'error',
      ARB__VENUES__BINANCE__WS_URL: `ws://127.0.0.1:${listening.binance?.port}`,
      ARB__VENUES__BINANCE__REST_URL: `http://127.0.0.1:${listening.binance?.port}`,
      ARB__VENUES__COINBASE__WS_URL: `ws://127.0.0.1:${listening.coinbase?.port}`,
      ARB__VENUES__COINBASE__REST_URL: `http://127.0.0.1:${listening.coinbase?.port}`,
    };
    admin = await login(nats.url, 'admin', passwords.admin);
  }, 60_000);

  afterAll(async () => {
    for (const s of services.reverse()) await s.stop();
    await feed?.close();
    await admin?.close();
    await sim?.stop();
    await redis?.stop();
    await nats?.stop();
    ws.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const as = (name: string, user: string): InProcessService => {
    const s = inProcessService(name, { user, pass: passwords[user] as string });
    services.push(s);
    return s;
  };

  test('stats, detector, executor and a feed run books → opportunity → trade → journal → stats, and runtime config, without one violation', async () => {
    const statsCfg = loadConfig(StatsConfig, { env });
    stats = await startStats(as('stats', 'stats').ctx, statsCfg);
    const detCfg = loadConfig(DetectorConfig, { env });
    const evaluator = new DomainEvaluator({ bookOf: () => undefined });
    await startDetector(as('detector', 'detector').ctx, detCfg, evaluator, (p) => evaluator.check(p));
    await startExecutor(as('executor', 'executor').ctx, loadConfig(ExecutorConfig, { env }));

    feed = await login(nats.url, 'feed-ingestor', passwords['feed-ingestor']);
    const jsm = await admin.jetstreamManager();
    const journaled = async (): Promise<number> => (await jsm.streams.info('ARB_EXECS')).state.messages;
    let seq = 0;
    await waitFor(
      'an execution report journaled and replayed by stats',
      async () => {
        seq += 1;
        const { statuses, books } = feedMessages(seq);
        for (const s of statuses) feed.publish(subjects.status(s.venue), validators.FeedStatus, s);
        for (const b of books) feed.publish(subjects.book(b.venue, b.symbol), validators.BookSnapshot, b);
        await feed.flush();
        return (await journaled()) > 0 && stats.reader.lastSeq > 0;
      },
      30_000,
    );

    // Runtime config written by an operator (admin) reaches the detector's and the executor's KV watches.
    const store = await RuntimeConfigStore.open(admin.nc);
    const doc = defaultRuntimeConfig();
    await store.put({ ...doc, params: { ...doc.params, minProfitPct: '0.05' } });
    await sleep(500);

    expect(nats.violations()).toEqual([]);
  }, 90_000);

  test('each service user is refused what belongs to another service (and to operators)', async () => {
    const refused: Record<string, { publish: string[]; subscribe: string[] }> = {
      'feed-ingestor': {
        publish: [subjects.opportunity(SYMBOL), subjects.execution(SYMBOL), '$JS.API.STREAM.INFO.ARB_EXECS', '$KV.arb_config.runtime'],
        subscribe: [subjects.books(), subjects.opportunities()],
      },
      detector: {
        publish: [subjects.execution(SYMBOL), subjects.book('binance', SYMBOL), '$KV.arb_config.runtime', '$JS.API.STREAM.DELETE.ARB_OPPS', '$JS.API.CONSUMER.MSG.NEXT.ARB_OPPS.executor'],
        subscribe: [subjects.executions(), subjects.opportunities()],
      },
      executor: {
        publish: [subjects.opportunity(SYMBOL), subjects.book('binance', SYMBOL), subjects.status('binance'), '$JS.API.STREAM.DELETE.ARB_EXECS', '$JS.API.STREAM.PURGE.ARB_EXECS'],
        subscribe: [subjects.executions(), subjects.opportunities(), subjects.statuses()],
      },
      stats: {
        publish: [subjects.execution(SYMBOL), subjects.opportunity(SYMBOL), '$KV.arb_config.runtime', '$JS.API.CONSUMER.MSG.NEXT.ARB_OPPS.executor', '$JS.API.STREAM.DELETE.ARB_EXECS'],
        subscribe: [subjects.books()],
      },
    };
    for (const [user, r] of Object.entries(refused)) {
      const { bus, errors } = await client(nats.url, user, passwords[user] as string);
      for (const s of r.publish) bus.nc.publish(s, 'x');
      for (const s of r.subscribe) bus.nc.subscribe(s);
      await bus.flush();
      const expected = [...r.publish.map((s) => `Permissions Violation for Publish to "${s}"`), ...r.subscribe.map((s) => `Permissions Violation for Subscription to "${s}"`)];
      await waitFor(`${user}'s refusals`, () => expected.every((e) => errors.includes(e)), 5_000).catch(() => undefined);
      expect([user, errors.sort()]).toEqual([user, expected.sort()]);
      await bus.close();
    }
    // Nothing above reached a stream: the journal and the work queue are intact.
    const jsm = await admin.jetstreamManager();
    expect((await jsm.streams.info('ARB_EXECS')).state.messages).toBeGreaterThan(0);
    expect((await jsm.consumers.info('ARB_OPPS', 'executor')).name).toBe('executor');
  }, 60_000);

  test('the services shut down (consumers and watches removed) without a violation', async () => {
    for (const s of services.splice(0).reverse()) await s.stop();
    // The refusals above were the test's own connections (named test-<user>); none came from a service.
    expect(nats.violations().filter((l) => !l.includes(':test-'))).toEqual([]);
    expect(nats.violations().length).toBeGreaterThan(0);
  }, 60_000);

  test('unknown users, wrong passwords and anonymous clients are refused', async () => {
    for (const [user, pass] of [['detector', 'wrong'], ['nobody', passwords.admin], [undefined, undefined]] as const) {
      await expect(login(nats.url, user, pass)).rejects.toThrow(/Authorization Violation/);
    }
  });
});
