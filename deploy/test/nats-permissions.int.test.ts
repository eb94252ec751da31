/**
 * The NATS configuration of the k8s base (ConfigMap nats-config, passwords from Secret arb-nats), taken from the
 * rendered sim overlay and run by a real nats-server, and its Redis (ConfigMap redis-config, ACL rendered from Secret
 * arb-redis) by a real redis-server: JetStream is provisioned by the provisioner user (`arb-config provision`, as the
 * Job jetstream-provision does), then the real detector, executor and stats (their start functions, each logged in as
 * its own NATS and Redis user) and feed-ingestor stand-ins (one user per venue) do their whole workflow without one
 * permission violation — books → opportunity (ARB_OPPS) → trade against a real exchange-sim → journal (ARB_EXECS) →
 * stats; runtime-config (KV) watch and write. Then every user is probed: no stream admin API, no other user's inbox,
 * publish only its own subjects, monitoring only with the monitor user's credentials.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buckets, memberKeys, subjects, validators, type BookSnapshot, type FeedStatus } from '@arb/contracts';
import {
  connectBus,
  createMetricsRegistry,
  createLogger,
  defaultRuntimeConfig,
  loadConfig,
  memberIdFor,
  nowMs,
  RuntimeConfigStore,
  SymbolOwnership,
  type Bus,
} from '@arb/service-kit';
import { freePort, requireBinary, ServiceProcess } from '@arb/testkit';
import { runCli } from '../../packages/cli/src/run';
import { DetectorConfig } from '../../services/detector/src/config';
import { DomainEvaluator } from '../../services/detector/src/domain-evaluator';
import { startDetector } from '../../services/detector/src/service';
import { ExecutorConfig } from '../../services/executor/src/config';
import { startExecutor } from '../../services/executor/src/service';
import { StatsConfig } from '../../services/stats/src/config';
import { startStats, type RunningStats } from '../../services/stats/src/service';
import { AclRedis, redisWiring } from './lib/acl-redis';
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
    readonly monitorPort: number,
  ) {}

  /** nats://user:password@host:port, as a pod's ARB__NATS__URL. */
  urlOf(user: string, password: string): string {
    return this.url.replace('nats://', `nats://${encodeURIComponent(user)}:${encodeURIComponent(password)}@`);
  }

  static async start(conf: string, env: Record<string, string>, dir: string): Promise<NatsServer> {
    const port = await freePort();
    const monitor = await freePort();
    const file = join(dir, 'nats.conf');
    // Same file as the pod's, with the JetStream store in the test's directory instead of the PVC mount and the
    // monitor on a free port of the same (loopback) address.
    const local = conf
      .replace(/store_dir:\s*\/data/, `store_dir: ${JSON.stringify(join(dir, 'js'))}`)
      .replace(/^http:\s*"127\.0\.0\.1:8222"/m, `http: "127.0.0.1:${monitor}"`);
    if (!local.includes(`127.0.0.1:${monitor}`)) throw new Error('nats.conf: the monitor is not on 127.0.0.1:8222');
    writeFileSync(file, local);
    const child = spawn(requireBinary('nats-server'), ['-c', file, '-a', '127.0.0.1', '-p', String(port)], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const server = new NatsServer(child, `nats://127.0.0.1:${port}`, exited, monitor);
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

/** Users of the ARB account that services run as (one per feed venue). */
const SERVICE_USERS = ['feed-binance', 'feed-coinbase', 'detector', 'executor', 'stats'] as const;
/** The JetStream stream admin API: no service user may call any of it (the provisioner: create/update only). */
const STREAM_ADMIN = [
  '$JS.API.STREAM.CREATE.ARB_EXECS',
  '$JS.API.STREAM.CREATE.EVIL',
  '$JS.API.STREAM.UPDATE.ARB_EXECS',
  '$JS.API.STREAM.UPDATE.ARB_OPPS',
  '$JS.API.STREAM.UPDATE.KV_arb_config',
  '$JS.API.STREAM.DELETE.ARB_EXECS',
  '$JS.API.STREAM.PURGE.ARB_EXECS',
  '$JS.API.STREAM.MSG.DELETE.ARB_EXECS',
  '$JS.API.STREAM.SNAPSHOT.ARB_EXECS',
  '$JS.API.STREAM.RESTORE.ARB_EXECS',
  '$JS.API.ACCOUNT.PURGE.ARB',
  '$JS.API.META.LEADER.STEPDOWN',
] as const;

describe('NATS accounts and permissions (and Redis ACL users) of the k8s manifests, with the real services', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arb-nats-perm-'));
  const ws = new ManifestWorkspace();
  let nats: NatsServer;
  let passwords: Record<string, string>;
  let redis: AclRedis;
  let sim: ServiceProcess;
  const feeds: Bus[] = [];
  let admin: Bus;
  const services: InProcessService[] = [];
  let stats: RunningStats;
  let env: Record<string, string>;
  let provisionOutput = '';

  beforeAll(async () => {
    const objects = render(ws.overlay('sim')).objects;
    const wiring = natsWiring(objects);
    passwords = wiring.passwords;
    nats = await NatsServer.start(wiring.conf, wiring.serverEnv, dir);
    const redisConfig = redisWiring(objects);
    redis = await AclRedis.start(redisConfig.files, redisConfig.passwords, join(dir, 'redis'));
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
    for (const f of feeds) await f.close();
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
  /** The service's config, with its Redis URL as its ACL user (redis://<user>:<password>@...), as k8s sets it. */
  const redisEnv = (user: string): Record<string, string> => ({ ...env, ARB__REDIS__URL: redis.url(user) });

  test('the provisioner creates the streams and the bucket (deny_delete, deny_purge) with arb-config provision', async () => {
    const out: string[] = [];
    const code = await runCli(['--nats', nats.urlOf('provisioner', passwords.provisioner as string), 'provision'], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      env: {},
      cwd: ROOT,
    });
    provisionOutput = out.join('\n');
    expect([code, provisionOutput]).toEqual([0, 'stream ARB_OPPS: created\nstream ARB_EXECS: created\nbucket arb_config: created\nbucket arb_members: created']);
    const jsm = await admin.jetstreamManager();
    for (const name of ['ARB_OPPS', 'ARB_EXECS']) expect((await jsm.streams.info(name)).config).toMatchObject({ deny_delete: true, deny_purge: true });
    expect(nats.violations()).toEqual([]);
  }, 30_000);

  test('stats, detector, executor and the feeds run books → opportunity → trade → journal → stats, and runtime config, without one violation', async () => {
    const statsCfg = loadConfig(StatsConfig, { env });
    stats = await startStats(as('stats', 'stats').ctx, statsCfg);
    const detCfg = loadConfig(DetectorConfig, { env: redisEnv('detector') });
    const evaluator = new DomainEvaluator({ bookOf: () => undefined });
    await startDetector(as('detector', 'detector').ctx, detCfg, evaluator, (p) => evaluator.check(p));
    await startExecutor(as('executor', 'executor').ctx, loadConfig(ExecutorConfig, { env: redisEnv('executor') }));

    // One feed-ingestor user per venue, each publishing only its venue's books and status.
    const feedOf = new Map<string, Bus>();
    for (const venue of ['binance', 'coinbase']) {
      const bus = await login(nats.url, `feed-${venue}`, passwords[`feed-${venue}`]);
      feeds.push(bus);
      feedOf.set(venue, bus);
    }
    const jsm = await admin.jetstreamManager();
    const journaled = async (): Promise<number> => (await jsm.streams.info('ARB_EXECS')).state.messages;
    let seq = 0;
    await waitFor(
      'an execution report journaled and replayed by stats',
      async () => {
        seq += 1;
        const { statuses, books } = feedMessages(seq);
        for (const s of statuses) feedOf.get(s.venue)?.publish(subjects.status(s.venue), validators.FeedStatus, s);
        for (const b of books) feedOf.get(b.venue)?.publish(subjects.book(b.venue, b.symbol), validators.BookSnapshot, b);
        for (const f of feeds) await f.flush();
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
    // The services used Redis as their ACL users: the detector mirrored books, the executor took the semaphore.
    const adminRedis = redis.url('admin');
    const r = await import('@arb/service-kit').then((k) => k.createRedis({ url: adminRedis, name: 'check', logger: createLogger({ name: 'check', level: 'silent' }) }));
    try {
      const [, keys] = await r.scan('0', 'MATCH', 'arb:*', 'COUNT', 1000);
      expect(keys.some((k) => k.startsWith('arb:book:'))).toBe(true);
      expect(keys.some((k) => k.startsWith('arb:sem:'))).toBe(true);
      const noperm = (await r.call('ACL', 'LOG')) as unknown[];
      expect(noperm).toEqual([]);
    } finally {
      await r.quit();
    }
  }, 90_000);

  test('the detector user runs the dynamic partition in arb_members (heartbeat, watch, leave) without a violation', async () => {
    const bus = await login(nats.url, 'detector', passwords.detector);
    try {
      const own = await SymbolOwnership.open(bus.nc, [SYMBOL, 'ETH-USDT'], { group: 'detector', member: memberIdFor('perm-test'), heartbeatMs: 100, ttlMs: 500 });
      expect(await own.start()).toEqual([SYMBOL, 'ETH-USDT']);
      await sleep(300); // a few heartbeats
      expect(own.owns(SYMBOL)).toBe(true);
      await own.stop();
      // Leaving wrote a delete marker on its key.
      const jsm = await admin.jetstreamManager();
      const last = await jsm.streams.getMessage(`KV_${buckets.members}`, { last_by_subj: `$KV.${buckets.members}.${memberKeys.member('detector', own.membership.member)}` });
      expect(last?.header.get('KV-Operation')).toBe('DEL');
    } finally {
      await bus.close();
    }
    expect(nats.violations()).toEqual([]);
  }, 30_000);

  test('no service user (nor the provisioner) may call the stream admin API: the journal cannot be truncated, purged or deleted', async () => {
    const jsm = await admin.jetstreamManager();
    const before = (await jsm.streams.info('ARB_EXECS')).state.messages;
    expect(before).toBeGreaterThan(0);
    for (const user of [...SERVICE_USERS, 'provisioner']) {
      const { bus, errors } = await client(nats.url, user, passwords[user] as string);
      const refused = STREAM_ADMIN.filter((subject) => !(user === 'provisioner' && /STREAM\.(CREATE|UPDATE)\.(ARB_EXECS|ARB_OPPS|KV_arb_config)$/.test(subject)));
      for (const subject of refused) bus.nc.publish(subject, '{}');
      await bus.flush();
      const expected = refused.map((subject) => `Permissions Violation for Publish to "${subject}"`);
      await waitFor(`${user}'s refusals`, () => expected.every((e) => errors.includes(e)), 5_000).catch(() => undefined);
      expect([user, expected.filter((e) => !errors.includes(e))]).toEqual([user, []]);
      await bus.close();
    }
    // What the issue did: STREAM.UPDATE of ARB_EXECS to max_msgs 1 as stats/executor/detector, now refused.
    for (const user of ['stats', 'executor', 'detector']) {
      const bus = await login(nats.url, user, passwords[user]);
      const m = await bus.jetstreamManager();
      const info = await m.streams.info('ARB_EXECS');
      await expect(m.streams.update('ARB_EXECS', { ...info.config, max_msgs: 1 })).rejects.toThrow(/Permissions Violation|timeout|TIMEOUT/i);
      await bus.close();
    }
    // Even admin cannot purge or delete a journal message: deny_purge/deny_delete are on the stream itself.
    await expect(jsm.streams.purge('ARB_EXECS')).rejects.toThrow(/purge/i);
    await expect(jsm.streams.deleteMessage('ARB_EXECS', 1)).rejects.toThrow(/delete/i);
    expect((await jsm.streams.info('ARB_EXECS')).state.messages).toBe(before);
    expect((await jsm.streams.info('ARB_EXECS')).config.max_msgs).toBe(-1);
  }, 90_000);

  test("replies are private: no user may subscribe to another user's inbox (nor to _INBOX.>)", async () => {
    const users = [...SERVICE_USERS, 'provisioner'];
    for (const user of users) {
      const { bus, errors } = await client(nats.url, user, passwords[user] as string);
      const others = ['_INBOX.>', '_INBOX.*', '>', ...users.filter((u) => u !== user).map((u) => `_INBOX_${u}.>`)];
      for (const s of others) bus.nc.subscribe(s);
      await bus.flush();
      const expected = others.map((s) => `Permissions Violation for Subscription to "${s}"`);
      await waitFor(`${user}'s refusals`, () => expected.every((e) => errors.includes(e)), 5_000).catch(() => undefined);
      expect([user, expected.filter((e) => !errors.includes(e))]).toEqual([user, []]);
      await bus.close();
    }
    // A journal read by stats (ordered consumer: its deliveries go to _INBOX_stats.…) is seen by stats alone.
    const feed = await login(nats.url, 'feed-binance', passwords['feed-binance']);
    const sub = feed.nc.subscribe('_INBOX_stats.>');
    const seen: string[] = [];
    void (async () => {
      for await (const m of sub) seen.push(m.subject);
    })().catch(() => undefined);
    const statsBus = await login(nats.url, 'stats', passwords.stats);
    const js = await statsBus.jetstreamManager();
    await js.streams.info('ARB_EXECS');
    await sleep(300);
    expect(seen).toEqual([]);
    await statsBus.close();
    await feed.close();
  }, 60_000);

  test('each user publishes only its own subjects (a feed only its venue) and subscribes only to what it reads', async () => {
    const refused: Record<string, { publish: string[]; subscribe: string[] }> = {
      'feed-binance': {
        publish: [subjects.book('coinbase', SYMBOL), subjects.status('coinbase'), subjects.opportunity(SYMBOL), subjects.execution(SYMBOL), '$JS.API.STREAM.INFO.ARB_EXECS', '$KV.arb_config.runtime', 'md.book.binance'],
        subscribe: [subjects.books(), subjects.opportunities(), subjects.statuses()],
      },
      'feed-coinbase': {
        publish: [subjects.book('binance', SYMBOL), subjects.status('binance'), subjects.opportunity(SYMBOL), '$KV.arb_config.runtime', '$KV.arb_members.detector.evil'],
        subscribe: [subjects.books(), subjects.executions()],
      },
      detector: {
        publish: [
          subjects.execution(SYMBOL),
          subjects.book('binance', SYMBOL),
          subjects.status('binance'),
          '$KV.arb_config.runtime',
          '$KV.arb_members.executor.evil',
          '$JS.API.CONSUMER.MSG.NEXT.ARB_OPPS.executor',
        ],
        subscribe: [subjects.opportunities()],
      },
      executor: {
        publish: [subjects.opportunity(SYMBOL), subjects.book('binance', SYMBOL), subjects.status('binance'), '$KV.arb_members.detector.evil'],
        subscribe: [subjects.executions(), subjects.opportunities(), subjects.statuses()],
      },
      stats: {
        publish: [
          subjects.execution(SYMBOL),
          subjects.opportunity(SYMBOL),
          subjects.book('binance', SYMBOL),
          '$KV.arb_config.runtime',
          '$KV.arb_members.detector.evil',
          '$JS.API.CONSUMER.MSG.NEXT.ARB_OPPS.executor',
        ],
        subscribe: [subjects.books()],
      },
      provisioner: {
        publish: [subjects.execution(SYMBOL), subjects.opportunity(SYMBOL), subjects.book('binance', SYMBOL), '$KV.arb_config.runtime'],
        subscribe: [subjects.executions(), subjects.books()],
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
    // The feeds' own subjects go through: a binance book from feed-binance reaches a subscriber.
    const { bus: own, errors } = await client(nats.url, 'feed-binance', passwords['feed-binance'] as string);
    const got: string[] = [];
    const sub = admin.nc.subscribe(subjects.books('binance'), {
      callback: (_e, m) => {
        got.push(m.subject);
      },
    });
    await admin.flush();
    own.nc.publish(subjects.book('binance', SYMBOL), 'x');
    own.nc.publish(subjects.status('binance'), 'x');
    await own.flush();
    await waitFor('own book delivered', () => got.length > 0, 5_000);
    expect(errors).toEqual([]);
    sub.unsubscribe();
    await own.close();
    // Nothing above reached a stream: the journal and the work queue are intact.
    const jsm = await admin.jetstreamManager();
    expect((await jsm.streams.info('ARB_EXECS')).state.messages).toBeGreaterThan(0);
    expect((await jsm.consumers.info('ARB_OPPS', 'executor')).name).toBe('executor');
  }, 60_000);

  test('monitoring needs credentials: the HTTP monitor is on loopback only; server stats over NATS answer the monitor user alone', async () => {
    const varz = (await (await fetch(`http://127.0.0.1:${nats.monitorPort}/varz`)).json()) as { http_host: string; http_port: number };
    expect([varz.http_host, varz.http_port]).toEqual(['127.0.0.1', nats.monitorPort]);
    const monitor = await login(nats.url, 'monitor', passwords.monitor);
    try {
      const reply = await monitor.nc.request('$SYS.REQ.SERVER.PING.VARZ', '', { timeout: 5000 });
      expect((reply.json() as { data?: { server_id?: string } }).data?.server_id).toEqual(expect.any(String));
    } finally {
      await monitor.close();
    }
    for (const user of [...SERVICE_USERS, 'provisioner']) {
      const { bus, errors } = await client(nats.url, user, passwords[user] as string);
      bus.nc.publish('$SYS.REQ.SERVER.PING.VARZ', '');
      await bus.flush();
      await waitFor(`${user} refused`, () => errors.length > 0, 5_000).catch(() => undefined);
      expect([user, errors]).toEqual([user, ['Permissions Violation for Publish to "$SYS.REQ.SERVER.PING.VARZ"']]);
      await bus.close();
    }
    await expect(login(nats.url, 'monitor', 'wrong')).rejects.toThrow(/Authorization Violation/);
  }, 60_000);

  test('the services shut down (consumers and watches removed) without a violation', async () => {
    for (const s of services.splice(0).reverse()) await s.stop();
    // The refusals above were the test's own connections (named test-<user>); none came from a service.
    expect(nats.violations().filter((l) => !l.includes(':test-'))).toEqual([]);
    expect(nats.violations().length).toBeGreaterThan(0);
  }, 60_000);

  test('unknown users, wrong passwords and anonymous clients are refused', async () => {
    for (const [user, pass] of [['detector', 'wrong'], ['nobody', passwords.admin], ['feed-binance', passwords['feed-coinbase']], [undefined, undefined]] as const) {
      await expect(login(nats.url, user, pass)).rejects.toThrow(/Authorization Violation/);
    }
  });
});
