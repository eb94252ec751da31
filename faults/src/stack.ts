import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  fetchMetrics,
  simVenueEnv,
  startBuiltService,
  startNats,
  startNatsCluster,
  startRedis,
  startSimProcess,
  type NatsClusterHandle,
  type NatsHandle,
  type RedisHandle,
  type ServiceProcess,
  type SimProcess,
} from '@arb/testkit';
import { createLogger, createRedis, quitRedis, type Redis } from '@arb/service-kit';
import { SimControl } from './sim-control';

export const VENUES = ['binance', 'coinbase'] as const;
export const SYMBOLS = ['BTC-USDT', 'ETH-USDT'] as const;

/** Settings of the system under test that the invariants depend on (config/default.yaml values, restated here). */
export interface StackSettings {
  /** executor.concurrency.maxConcurrentTrades: 1 here (default 5), so that two windows at once contend for it. */
  readonly maxConcurrentTrades: number;
  /** detector.stalenessMs (config/default.yaml). */
  readonly stalenessMs: number;
  /** feed.staleAfterMs (config/default.yaml). */
  readonly staleAfterMs: number;
  /** executor.inventory.reconcileIntervalMs (15 s, config/default.yaml) + 5 s: the longest a broken ledger may
   *  take to be corrected from the venues once no trade is in flight. */
  readonly ledgerSettleMs: number;
}

export const STACK_SETTINGS: StackSettings = { maxConcurrentTrades: 1, stalenessMs: 1000, staleAfterMs: 1000, ledgerSettleMs: 20_000 };

const entry = (service: string): string => `services/${service}/dist/main.js`;

/**
 * Where the suite's stack differs from the shipped configuration, and why (printed at the start of every run). The
 * detector, the feeds and everything else run their defaults.
 */
export function stackOverrides(settings: StackSettings): readonly string[] {
  return [
    `executor.concurrency.maxConcurrentTrades ${settings.maxConcurrentTrades} (default 5): concurrent windows contend for one slot, so the semaphore invariant is exercised`,
    'executor.rateLimits lifted: exchange-sim is not Binance; 50 orders / 10 s would throttle the probe windows after each fault',
    'executor.inflight heartbeat 300 ms / TTL 2 s / sweep 500 ms (defaults 1 s / 5 s / 2 s): a killed executor\'s trade is taken over within the scenario\'s wait',
    'sim: random jumps off (the suite opens its own windows) and a 200 000-state book history (to check published books against the truth)',
  ];
}

/** Executor overrides: the semaphore limit, client-side order rate limits lifted, quick in-flight heartbeats. */
function executorEnv(settings: StackSettings): Record<string, string> {
  return {
    ARB__EXECUTOR__CONCURRENCY__MAX_CONCURRENT_TRADES: String(settings.maxConcurrentTrades),
    ARB__EXECUTOR__RATE_LIMITS:
      '{binance: [{name: weight, limit: 1000000, intervalMs: 60000}, {name: orders10s, limit: 1000000, intervalMs: 10000}], coinbase: [{name: private, limit: 100000, intervalMs: 1000}, {name: public, limit: 100000, intervalMs: 1000}]}',
    ARB__EXECUTOR__INFLIGHT__HEARTBEAT_MS: '300',
    ARB__EXECUTOR__INFLIGHT__HEARTBEAT_TTL_MS: '2000',
    ARB__EXECUTOR__INFLIGHT__SWEEP_INTERVAL_MS: '500',
  };
}

/** How the stack is built: one nats-server (default) or a cluster, how many executors, whether stats runs. */
export interface StackOptions {
  /** Nodes of a local NATS cluster (testkit startNatsCluster; services get every URL and nats.replicas = n); 1 = one server. */
  readonly natsCluster?: number;
  /** Executor processes sharing the work queue and the semaphore. Default 1. */
  readonly executors?: number;
  /** Also run the stats service (it rebuilds its totals from the journal). Default false. */
  readonly stats?: boolean;
}

/** A running service with its metrics page. */
export interface Service {
  readonly label: string;
  readonly proc: ServiceProcess;
  readonly metricsUrl: string;
}

/**
 * The whole system as real processes on one machine: nats-server (JetStream) and redis-server (append-only file, as
 * a production Redis keeps its data), exchange-sim (no random jumps: the suite makes arbitrage windows with
 * /control/dislocate), one feed-ingestor per venue, the detector and the executor, each with its sim-mode config.
 * Service output goes to `<logDir>/<label>.log` when the stack stops.
 */
export class FaultStack {
  private readonly services = new Map<string, Service>();
  private executorCount = 0;
  private redisConn: Redis | undefined;

  private constructor(
    private readonly server: NatsHandle | undefined,
    /** The NATS cluster when the stack runs on one (StackOptions.natsCluster > 1). */
    readonly cluster: NatsClusterHandle | undefined,
    readonly redis: RedisHandle,
    readonly sim: SimProcess,
    readonly control: SimControl,
    private readonly logDir: string,
  ) {}

  static async start(logDir: string, settings: StackSettings = STACK_SETTINGS, opts: StackOptions = {}): Promise<FaultStack> {
    const size = opts.natsCluster ?? 1;
    const [nats, redis] = await Promise.all([
      size > 1 ? startNatsCluster({ size }) : startNats({ jetstream: true }),
      startRedis({ appendonly: true }),
    ]);
    const [server, cluster] = 'nodes' in nats ? [undefined, nats] : [nats, undefined];
    let sim: SimProcess | undefined;
    try {
      sim = await startSimProcess({ ARB__SIM__JUMPS__PER_MINUTE: '0', ARB__SIM__CONTROL__HISTORY_SIZE: '200000' });
      const stack = new FaultStack(server, cluster, redis, sim, new SimControl(sim.control), logDir);
      try {
        for (const venue of VENUES) await stack.startService(`ingestor-${venue}`, 'feed-ingestor', { VENUE: venue });
        await stack.startService('detector', 'detector', {});
        for (let i = 0; i < (opts.executors ?? 1); i++) await stack.startExecutor(settings);
        if (opts.stats === true) await stack.startService('stats', 'stats', {});
      } catch (error) {
        await stack.stop();
        throw error;
      }
      return stack;
    } catch (error) {
      await sim?.proc.stop();
      await Promise.allSettled([nats.stop(), redis.stop()]);
      throw error;
    }
  }

  /** Every NATS server URL, comma-separated (one on a single server): what the services get as nats.url. */
  get natsUrl(): string {
    return this.cluster?.url ?? (this.server as NatsHandle).url;
  }

  /** The single nats-server; throws on a cluster stack (scenarios that restart "the" server need one). */
  get nats(): NatsHandle {
    if (this.server === undefined) throw new Error('this stack runs a NATS cluster, not one server');
    return this.server;
  }

  /** The environment every service shares: servers (and replicas on a cluster), the sim's venue endpoints, info logs. */
  private baseEnv(): Record<string, string> {
    const replicas: Record<string, string> = this.cluster === undefined ? {} : { ARB__NATS__REPLICAS: String(this.cluster.nodes.length) };
    return { ARB__NATS__URL: this.natsUrl, ...replicas, ARB__REDIS__URL: this.redis.url, ARB__LOG__LEVEL: 'info', ...simVenueEnv(this.sim) };
  }

  private async startService(label: string, service: string, env: Record<string, string>, readyLine?: RegExp): Promise<Service> {
    const proc = await startBuiltService({ name: label, entry: entry(service), env: { ...this.baseEnv(), ...env }, readyLine: readyLine ?? /"http server listening"/, readyTimeoutMs: 30_000 });
    const line = await proc.waitForLine(/"http server listening"/, 10_000);
    const url = (JSON.parse(line) as { url?: unknown }).url;
    if (typeof url !== 'string') {
      await proc.kill();
      throw new Error(`${label}: no url in its http line: ${line}`);
    }
    const s = { label, proc, metricsUrl: `${url}/metrics` };
    this.services.set(label, s);
    return s;
  }

  /** A Redis client of the suite (to inject data faults and read the executor's ledger); closed with the stack. */
  async redisClient(): Promise<Redis> {
    this.redisConn ??= createRedis({ url: this.redis.url, name: 'fault-suite', logger: createLogger({ name: 'fault-suite', level: 'silent' }), maxRetriesPerRequest: 1 });
    return this.redisConn;
  }

  /**
   * A second executor process next to the running one (a replica: same settings), e.g. to take over a paused one's
   * trade. `executor` stays the first; stop it with `stopService(label)`.
   */
  async startExtraExecutor(label: string, settings: StackSettings = STACK_SETTINGS): Promise<Service> {
    return this.startService(label, 'executor', executorEnv(settings), /"msg":"executor started"/);
  }

  /** Stops one service (SIGTERM: a graceful stop) and keeps its log. */
  async stopService(label: string): Promise<void> {
    const s = this.services.get(label);
    if (s === undefined) return;
    await s.proc.stop();
    mkdirSync(this.logDir, { recursive: true });
    writeFileSync(join(this.logDir, `${s.label}.log`), `${s.proc.lines().join('\n')}\n`);
    this.services.delete(label);
  }

  /**
   * A new executor process (a replacement after a crash gets a new id, as a new pod would). Client-side order rate
   * limits are lifted (the sim is not Binance); in-flight heartbeats are quick so a dead executor's trades are taken
   * over within ~2 s.
   */
  async startExecutor(settings: StackSettings = STACK_SETTINGS, env: Readonly<Record<string, string>> = {}, readyLine = /"msg":"executor started"/): Promise<Service> {
    this.executorCount++;
    return this.startService(`executor-${this.executorCount}`, 'executor', { ...executorEnv(settings), ...env }, readyLine);
  }

  /** Stops the executor running now (SIGTERM: it finishes its trades); start the next with `startExecutor`. */
  async stopExecutor(): Promise<void> {
    await this.executor.proc.stop();
  }

  /** nats-server down for `downMs` (SIGTERM; started again on its port with its JetStream store). */
  async natsOutage(downMs: number): Promise<void> {
    const pid = this.nats.pid;
    if (pid === undefined) throw new Error('nats-server is not running');
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 500 && this.nats.pid !== undefined; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, downMs));
    await this.nats.restart();
  }

  /** Labels of the services running now. */
  get labels(): string[] {
    return [...this.services.values()].filter((s) => s.proc.exit === undefined).map((s) => s.label);
  }

  /** The stats service's /stats, when it runs (StackOptions.stats). */
  get statsUrl(): string | undefined {
    const s = this.services.get('stats');
    return s === undefined ? undefined : s.metricsUrl.replace(/\/metrics$/, '/stats');
  }

  /** Every executor process still running (oldest first). */
  get executors(): Service[] {
    return [...this.services.values()].filter((s) => s.label.startsWith('executor-') && s.proc.exit === undefined);
  }

  /** The executor started last. */
  get executor(): Service {
    const s = this.services.get(`executor-${this.executorCount}`);
    if (s === undefined) throw new Error('no executor started');
    return s;
  }

  service(label: string): Service {
    const s = this.services.get(label);
    if (s === undefined) throw new Error(`no service ${label}`);
    return s;
  }

  metrics(label: string): Promise<string> {
    return fetchMetrics(this.service(label).metricsUrl);
  }

  /** Lines a service printed so far (its log). */
  lines(label: string): readonly string[] {
    return this.service(label).proc.lines();
  }

  async stop(): Promise<void> {
    if (this.redisConn !== undefined) await quitRedis(this.redisConn).catch(() => undefined);
    this.redisConn = undefined;
    mkdirSync(this.logDir, { recursive: true });
    for (const s of [...this.services.values()].reverse()) {
      await s.proc.stop();
      writeFileSync(join(this.logDir, `${s.label}.log`), `${s.proc.lines().join('\n')}\n`);
    }
    this.services.clear();
    await this.sim.proc.stop();
    writeFileSync(join(this.logDir, 'exchange-sim.log'), `${this.sim.proc.lines().join('\n')}\n`);
    await Promise.allSettled([(this.cluster ?? this.nats).stop(), this.redis.stop()]);
  }
}
