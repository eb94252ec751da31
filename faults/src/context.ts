import type { ExecutionReport } from '@arb/contracts';
import { promValue } from '@arb/testkit';
import Big from 'big.js';
import { now, type BookSeen, type Recorder } from './recorder';
import type { Venue } from './sim-control';
import { SYMBOLS, VENUES, type FaultStack, type StackSettings } from './stack';
import type { Check } from './types';
import { sleep, waitFor, WaitTimeoutError } from './wait';

/** A probe opens a window every PROBE_EVERY_MS until one is traded, for at most PROBE_TIMEOUT_MS. */
const PROBE_EVERY_MS = 3000;
const PROBE_TIMEOUT_MS = 30_000;

/** Our published levels equal the first levels of the venue's (as decimals: '1.50' = '1.5'). */
function sameLevels(ours: readonly (readonly [string, string])[], theirs: readonly [string, string][]): boolean {
  return ours.length <= theirs.length && ours.every(([p, q], k) => new Big(p).eq(theirs[k]?.[0] ?? '-1') && new Big(q).eq(theirs[k]?.[1] ?? '-1'));
}

/** Durations of one form of the suite. */
export interface Scale {
  /** How long a timed fault (drops, corruption, a freeze) lasts. */
  readonly faultMs: number;
  /** Arbitrage windows opened to prove trading works after a fault. */
  readonly probes: number;
}

/** What a scenario drives and reads. */
export class FaultContext {
  private leaseMax = 0;
  private sampler: NodeJS.Timeout | undefined;
  private sampling = false;
  /** Probes opened so far in the run: the next probe's venue and direction follow from it (see probeTrades). */
  private probeSeq = 0;

  constructor(
    readonly stack: FaultStack,
    readonly recorder: Recorder,
    readonly settings: StackSettings,
    readonly scale: Scale,
    /** The venues' holdings before the first trade (the balance invariant's baseline). */
    readonly startHoldings: ReadonlyMap<string, ReadonlyMap<string, Big>>,
  ) {}

  get sim() {
    return this.stack.control;
  }

  /**
   * Samples every executor's `executor_semaphore_leases_in_use` gauge every 100 ms (the highest kept). With several
   * executors each is sampled on its own: samples taken a few ms apart could count one lease passed between two
   * processes twice; the venues' own count (maxConcurrentTrades) is the cluster-wide truth.
   */
  startLeaseSampler(): void {
    this.sampling = true;
    const tick = async (): Promise<void> => {
      const samples = await Promise.all(
        this.stack.executors.map(async (e) => {
          try {
            return promValue(await this.stack.metrics(e.label), 'executor_semaphore_leases_in_use') ?? 0;
          } catch {
            return 0; // executor restarting or Redis away: the next sample counts
          }
        }),
      );
      this.leaseMax = Math.max(this.leaseMax, ...samples);
      // A sample in flight when sampling stopped must not schedule the next one (the process would never exit).
      if (this.sampling) this.sampler = setTimeout(() => void tick(), 100);
    };
    void tick();
  }

  stopLeaseSampler(): void {
    this.sampling = false;
    if (this.sampler !== undefined) clearTimeout(this.sampler);
    this.sampler = undefined;
  }

  get maxLeasesSeen(): number {
    return this.leaseMax;
  }

  /**
   * Opens arbitrage windows (BTC-USDT on `venue` jumps `bps`; the other venue follows after 2.5 s), a new one every
   * 3 s, until the executor journals a trade for one of them, as a trader's market would keep offering windows. The
   * shipped detector may rightly pass on the first windows after a feed fault (recent incidents lower confidence for
   * 10-20 s): `ms` (first jump → report) is then the time until the system really trades again.
   */
  async probeTrade(venue: Venue = 'binance', timeoutMs = PROBE_TIMEOUT_MS, symbol = 'BTC-USDT', bps = 30): Promise<{ report: ExecutionReport; ms: number; windows: number }> {
    const t0 = now();
    const traded = (): ExecutionReport | undefined => this.recorder.reportsSince(t0).find((r) => r.status !== 'skipped' && r.status !== 'expired');
    for (let windows = 1; ; windows++) {
      await this.sim.dislocate(symbol, venue, bps, 2500);
      const left = t0 + timeoutMs - now();
      try {
        const report = await waitFor('a trade', traded, Math.max(0, Math.min(PROBE_EVERY_MS, left)));
        return { report, ms: now() - t0, windows };
      } catch (e) {
        if (!(e instanceof WaitTimeoutError)) throw e;
        if (left <= PROBE_EVERY_MS) {
          throw new WaitTimeoutError(`a trade journaled after ${windows} windows of ${bps} bps on ${venue} ${symbol}: not within ${timeoutMs} ms`);
        }
      }
    }
  }

  /**
   * Probes `scale.probes` times, returning the first probe's time. Venues and directions alternate over the whole run
   * (binance up, coinbase up, binance down, coinbase down, ...), not within one call: the executor re-trades a window
   * while it lasts, so one direction every time (the short form probes once per scenario) would move the BTC of one
   * venue to the other until the executor rightly skips for `inventory` (seen: 10 BTC gone after ~15 scenarios).
   */
  async probeTrades(timeoutMs = PROBE_TIMEOUT_MS): Promise<{ firstMs: number; reports: ExecutionReport[] }> {
    const reports: ExecutionReport[] = [];
    let firstMs = 0;
    for (let i = 0; i < this.scale.probes; i++) {
      const n = this.probeSeq++;
      const venue: Venue = n % 2 === 0 ? 'binance' : 'coinbase';
      const p = await this.probeTrade(venue, timeoutMs, 'BTC-USDT', n % 4 < 2 ? 30 : -30);
      if (i === 0) firstMs = p.ms;
      reports.push(p.report);
      await sleep(2600); // let the window close before the next one
    }
    return { firstMs, reports };
  }

  /** Waits until both venues' books of every symbol are published again after `since`; ms from `since`. */
  async booksFlowing(since: number, timeoutMs = 20_000, venues: readonly Venue[] = VENUES): Promise<number> {
    return waitFor(
      'books of every venue and symbol published',
      () => {
        let last = 0;
        for (const v of venues) {
          for (const s of SYMBOLS) {
            const b = this.recorder.books.find((x) => x.venue === v && x.symbol === s && x.at > since);
            if (b === undefined) return undefined;
            last = Math.max(last, b.at);
          }
        }
        return last - since;
      },
      timeoutMs,
    );
  }

  /** Longest pause between consecutive published books of `venue` (any symbol) in [from, to]. */
  longestBookGap(venue: Venue, from: number, to: number): number {
    let prev = from;
    let gap = 0;
    for (const b of this.recorder.booksOf(venue, from)) {
      if (b.at > to) break;
      gap = Math.max(gap, b.at - prev);
      prev = b.at;
    }
    return Math.max(gap, to - prev);
  }

  /**
   * Compares up to `samples` books of `venue` published in [from, to] (captured with their levels) with the
   * simulator's true book at the same venue sequence.
   */
  async booksMatchTruth(venue: Venue, from: number, to: number, samples = 40): Promise<Check> {
    const books = this.recorder.booksOf(venue, from).filter((b): b is BookSeen & { levels: NonNullable<BookSeen['levels']> } => b.at <= to && b.levels !== undefined);
    const step = Math.max(1, Math.floor(books.length / samples));
    const wrong: string[] = [];
    let compared = 0;
    for (let i = 0; i < books.length; i += step) {
      const b = books[i];
      if (b === undefined) continue;
      const depth = Math.max(b.levels.bids.length, b.levels.asks.length);
      const truth = await this.sim.book(venue, b.symbol, b.venueSeq, depth);
      compared++;
      if (!sameLevels(b.levels.bids, truth.bids) || !sameLevels(b.levels.asks, truth.asks)) wrong.push(`${b.symbol} seq ${b.venueSeq}`);
    }
    return {
      name: `${venue} books published = venue truth`,
      ok: wrong.length === 0 && compared > 0,
      detail: `${compared} of ${books.length} books published during the fault compared with the true book at their sequence: ${wrong.length === 0 ? 'all equal' : `differ: ${wrong.slice(0, 5).join(', ')}`}`,
    };
  }

  /**
   * Until the executor trades on every venue again (its /stats `venues.<venue>` null: no ban / rate-limit pause, no
   * reject-streak pause, credentials and order streams fine); ms waited.
   */
  async venuesAvailable(timeoutMs = 30_000): Promise<number> {
    const t0 = now();
    const stats = this.stack.executor.metricsUrl.replace(/\/metrics$/, '/stats');
    await waitFor(
      'the executor trading on every venue',
      async () => {
        const s = (await (await fetch(stats, { signal: AbortSignal.timeout(2000) })).json()) as { venues?: Record<string, unknown> };
        return VENUES.every((venue) => s.venues?.[venue] === null) ? true : undefined;
      },
      timeoutMs,
      100,
    );
    return now() - t0;
  }

  /** Until the venues have no trade in flight and no executor has one between lease and journal (then a short grace). */
  async quiesce(timeoutMs = 30_000): Promise<void> {
    await waitFor(
      'no trade in flight',
      async () => {
        const s = await this.sim.tradingStats();
        let local = 0;
        for (const e of this.stack.executors) local += promValue(await this.stack.metrics(e.label), 'executor_trades_in_flight') ?? 0;
        return s.inFlightTrades === 0 && local === 0 ? true : undefined;
      },
      timeoutMs,
      100,
    );
    await sleep(300);
  }
}

export type { Venue };
