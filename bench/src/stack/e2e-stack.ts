import { subjects } from '@arb/contracts';
import { connect } from '@nats-io/transport-node';
import { sleep } from '../lib/clock';
import { within } from '../lib/deadline';
import { promSamples, promValue } from '@arb/testkit';
import type { BenchContext } from '../types';
import { executorEnv } from './executor-env';
import { moduleServers, type ModuleServers } from './servers';
import { ServiceProcess } from './services';
import { SimProcess } from './sim-process';

export const E2E_VENUES = ['binance', 'coinbase'] as const;
/** config/default.yaml `symbols`: every service's default. */
export const E2E_SYMBOLS = ['BTC-USDT', 'ETH-USDT'] as const;

/** Arbitrage windows last 30..500 ms (the other venue follows a jump after that long). */
const JUMP_MAX_DELAY_MS = 500;

export interface E2eOptions {
  /** Log files `<label>-<service>.log`. */
  readonly label: string;
  /** exchange-sim `rate.levelUpdatesPerSec` (total over its 4 books). */
  readonly levelUpdatesPerSec: number;
  /** exchange-sim `jumps.perMinute` (arbitrage windows); 0 = none. */
  readonly jumpsPerMinute: number;
  /** Run the executor too (trades every opportunity). */
  readonly executor: boolean;
  /**
   * executor.concurrency.onBusy = skip: an opportunity whose route or slot is busy is skipped at once instead of
   * waiting (default: wait up to 200 ms), so a trade's latency never includes waiting behind another trade.
   */
  readonly executorSkipWhenBusy?: boolean;
  /**
   * Detector processes to run side by side (each with its own env, e.g. another `ARB__DETECTOR__VARIANT`); default
   * one, with the jumpy-market settings when the sim jumps.
   */
  readonly detectors?: readonly { readonly label: string; readonly env: Readonly<Record<string, string>> }[];
  /**
   * The sim's whole environment instead of the workload settings above (levelUpdatesPerSec, jumpsPerMinute, the
   * jump delay and churn shape are then NOT applied): e.g. the shipped sim config with its own jumps on.
   */
  readonly simEnv?: Readonly<Record<string, string>>;
  /** A config overlay (ARB_CONFIG_FILE) for every process, e.g. config/symbols-100.yaml; default none. */
  readonly configFile?: string;
  /** The symbols whose books `start` waits for (default E2E_SYMBOLS: config/default.yaml's). */
  readonly symbols?: readonly string[];
  /** feed-ingestor replicas per venue, each a static shard (feed.partition index/count); default 1. */
  readonly feedShards?: number;
  /** Extra nats-server arguments (e.g. its monitoring port). */
  readonly natsArgs?: readonly string[];
  /** How long `start` waits for every book (default 30 s). */
  readonly readyTimeoutMs?: number;
}

/**
 * The whole system on one machine, every part the real process with its sim-mode config: exchange-sim → one
 * feed-ingestor per venue → detector → executor (trading back on exchange-sim), on a fresh nats-server (JetStream)
 * and redis-server. `start` resolves once every (venue, symbol) book has been published.
 */
export class E2eStack {
  private constructor(
    readonly servers: ModuleServers,
    readonly sim: SimProcess,
    readonly ingestors: readonly ServiceProcess[],
    /** `<venue>` or `<venue> <index>/<count>` per ingestor. */
    readonly ingestorLabels: readonly string[],
    readonly detectors: readonly ServiceProcess[],
    readonly executor: ServiceProcess | undefined,
  ) {}

  /** The (first) detector. */
  get detector(): ServiceProcess {
    return this.detectors[0] as ServiceProcess;
  }

  static async start(ctx: BenchContext, o: E2eOptions): Promise<E2eStack> {
    const servers = await moduleServers(ctx, o.natsArgs !== undefined ? { natsArgs: o.natsArgs } : {});
    const overlay: Record<string, string> = o.configFile !== undefined ? { ARB_CONFIG_FILE: o.configFile } : {};
    const started: { stop(): Promise<string> }[] = [];
    try {
      const sim = await SimProcess.start(
        ctx,
        `${o.label}-sim`,
        { ...overlay, ...(o.simEnv ?? {
          ARB__SIM__RATE__LEVEL_UPDATES_PER_SEC: String(o.levelUpdatesPerSec),
          ARB__SIM__JUMPS__PER_MINUTE: String(o.jumpsPerMinute),
          ARB__SIM__JUMPS__MAX_DELAY_MS: String(JUMP_MAX_DELAY_MS),
          // Size churn touches one level per book change (quote moves and jumps still re-quote several at once).
          ARB__SIM__RATE__MAX_LEVELS_PER_CHANGE: '1',
        }) },
      );
      started.push(sim);
      const common = { ...overlay, ARB__NATS__URL: servers.nats.url, ARB__REDIS__URL: servers.redis.url, ...sim.venueEnv() };
      const seen = await bookSeen(servers.nats.url, E2E_VENUES.length * (o.symbols ?? E2E_SYMBOLS).length);
      started.push({ stop: () => seen.close().then(() => 'closed') });
      const ingestors: ServiceProcess[] = [];
      const ingestorLabels: string[] = [];
      const shards = o.feedShards ?? 1;
      for (const venue of E2E_VENUES) {
        for (let index = 0; index < shards; index++) {
          const shard: Record<string, string> = shards === 1 ? {} : { ARB__FEED__PARTITION__INDEX: String(index), ARB__FEED__PARTITION__COUNT: String(shards) };
          const suffix = shards === 1 ? '' : `-${index}`;
          const p = await ServiceProcess.start(ctx, { name: 'feed-ingestor', label: `${o.label}-ingestor-${venue}${suffix}`, env: { ...common, VENUE: venue, ...shard } });
          started.push(p);
          ingestors.push(p);
          ingestorLabels.push(shards === 1 ? venue : `${venue} ${index}/${shards}`);
        }
      }
      const detectors: ServiceProcess[] = [];
      for (const d of o.detectors ?? [{ label: 'detector', env: {} }]) {
        const p = await ServiceProcess.start(ctx, { name: 'detector', label: `${o.label}-${d.label}`, env: { ...common, ...d.env }, readyLine: /"detector started"/ });
        started.push(p);
        detectors.push(p);
      }
      let executor: ServiceProcess | undefined;
      if (o.executor) {
        executor = await ServiceProcess.start(ctx, {
          name: 'executor',
          label: `${o.label}-executor`,
          env: { ...executorEnv(servers.nats.url, servers.redis.url, sim), ...(o.executorSkipWhenBusy === true ? { ARB__EXECUTOR__CONCURRENCY__ON_BUSY: 'skip' } : {}) },
          readyLine: /"executor started"/,
        });
        started.push(executor);
      }
      await within(seen.all, o.readyTimeoutMs ?? 30_000, () => `${o.label}: books seen from ${[...seen.keys].join(', ') || 'nobody'}`);
      await seen.close();
      return new E2eStack(servers, sim, ingestors, ingestorLabels, detectors, executor);
    } catch (error) {
      for (const p of started.reverse()) await p.stop();
      await servers.stop();
      throw error;
    }
  }

  /** Every service process with its name (for CPU and memory). */
  processes(): { name: string; proc: ServiceProcess }[] {
    const out = [
      { name: 'exchange-sim', proc: this.sim.proc },
      ...this.ingestors.map((p, i) => ({ name: `feed-ingestor ${this.ingestorLabels[i] ?? i}`, proc: p })),
      ...this.detectors.map((p, i) => ({ name: i === 0 ? 'detector' : `detector ${i + 1}`, proc: p })),
    ];
    if (this.executor !== undefined) out.push({ name: 'executor', proc: this.executor });
    return out;
  }

  /** Counters of the running system: diff updates applied and books published by the ingestors, books the detector took. */
  async counters(): Promise<{ updates: number; published: number; detectorBooks: number }> {
    let updates = 0;
    let published = 0;
    for (const p of this.ingestors) {
      const text = await p.metrics();
      updates += promValue(text, 'feed_updates_total') ?? 0;
      published += promValue(text, 'feed_books_published_total') ?? 0;
    }
    const detectorBooks = promValue(await this.detector.metrics(), 'detector_books_received_total') ?? 0;
    return { updates, published, detectorBooks };
  }

  /** What the services counted that makes a run suspect (resyncs, gaps, rejected frames, dropped books, ...). */
  async incidents(): Promise<string[]> {
    const out: string[] = [];
    for (const [i, p] of this.ingestors.entries()) {
      const text = await p.metrics();
      for (const s of promSamples(text, 'feed_venue_events_total')) if (s.value > 0) out.push(`${this.ingestorLabels[i]} ${s.labels.get('kind') ?? 'event'} ${s.value}`);
      const rejected = promValue(text, 'feed_rejected_messages_total') ?? 0;
      if (rejected > 0) out.push(`${this.ingestorLabels[i]} rejected frames ${rejected}`);
    }
    for (const [i, det] of this.detectors.entries()) {
      const d = await det.metrics();
      const who = i === 0 ? 'detector' : `detector ${i + 1}`;
      for (const s of promSamples(d, 'detector_books_dropped_total')) if (s.value > 0) out.push(`${who} dropped (${s.labels.get('reason') ?? '?'}) ${s.value}`);
    }
    if (this.executor !== undefined) {
      const e = await this.executor.metrics();
      const killed = promValue(e, 'executor_kill_switch') ?? 0;
      if (killed > 0) out.push('executor kill switch tripped');
    }
    return out;
  }

  async stop(): Promise<void> {
    if (this.executor !== undefined) await this.executor.stop();
    for (const p of this.detectors) await p.stop();
    for (const p of this.ingestors) await p.stop();
    await this.sim.stop();
    await this.servers.stop();
  }
}

/** Resolves `all` once a BookSnapshot of `want` (venue, symbol) pairs has been published. */
async function bookSeen(url: string, want: number): Promise<{ all: Promise<void>; keys: Set<string>; close(): Promise<void> }> {
  const nc = await connect({ servers: url, name: 'bench-e2e-ready' });
  const keys = new Set<string>();
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  nc.subscribe(subjects.books(), {
    callback: (err, m) => {
      if (err !== null) return;
      keys.add(m.subject);
      if (keys.size >= want) done();
    },
  });
  await nc.flush();
  return {
    all: all.then(() => sleep(0)),
    keys,
    close: async () => {
      if (!nc.isClosed()) await nc.close();
    },
  };
}
