import type { SimConfig } from '../config/schema';
import { BookShaper } from './book-shaper';
import { deriveInstrument, resolveInstrument, type Instrument } from './instrument';
import { PriceProcess, type JumpCause } from './price-process';
import { Rng } from './rng';
import { SimBook } from './sim-book';

export const VENUES = ['binance', 'coinbase'] as const;
export type VenueName = (typeof VENUES)[number];

/** One (venue, symbol) book with its rules and its shaper. */
export interface MarketBook {
  readonly venue: VenueName;
  readonly venueIndex: number;
  readonly inst: Instrument;
  readonly book: SimBook;
  readonly shaper: BookShaper;
}

/** A /control/dislocate waiting for its model time. */
interface ScheduledDislocation {
  readonly atMs: number;
  readonly venue: VenueName;
  readonly symbol: string;
  readonly bps: number;
  readonly durationMs: number;
}

/** Most dislocations that may wait for their model time at once. */
export const MAX_SCHEDULED_DISLOCATIONS = 10_000;

export interface MarketCounters {
  steps: number;
  changes: number;
  levelUpdates: number;
  jumps: number;
}

/**
 * The seeded market model: fair prices, venue mids, books. `step()` advances one fixed tick
 * (model time += tickMs) and leaves each book's changes in its ChangeBuffer until `clearStep()`.
 * Pure given the seed and the sequence of step()/dislocate() calls: no clocks, no I/O.
 */
export class Market {
  readonly books: MarketBook[] = [];
  /** books by venue then symbol. */
  readonly byVenue = new Map<VenueName, Map<string, MarketBook>>();
  readonly symbols: string[];
  readonly counters: MarketCounters = { steps: 0, changes: 0, levelUpdates: 0, jumps: 0 };
  /** Model time in ms since start. */
  now = 0;
  private readonly processes = new Map<string, PriceProcess>();
  private readonly rng: Rng;
  private budget = 0;
  /** Sorted by atMs, then by arrival. */
  private readonly scheduled: ScheduledDislocation[] = [];

  constructor(readonly cfg: SimConfig) {
    const root = new Rng(cfg.seed);
    this.rng = root.fork(1);
    this.symbols = cfg.symbols.map((s) => s.symbol);
    const dynamics = VENUES.map((v) => cfg.venues[v]);
    // A window opening up to 5 lag time constants (+ one step) after a jump's holds end is still the jump's doing.
    const settleMs = 5 * Math.max(...dynamics.map((d) => d.lagMs)) + cfg.tickMs;
    for (const sym of cfg.symbols) {
      this.processes.set(sym.symbol, new PriceProcess(Number(sym.startPrice), sym.volatilityBps, dynamics, root.fork(2), settleMs));
    }
    VENUES.forEach((venue, venueIndex) => {
      const vc = cfg.venues[venue];
      const map = new Map<string, MarketBook>();
      for (const sym of cfg.symbols) {
        const inst = resolveInstrument(sym, vc.instruments[sym.symbol] ?? deriveInstrument(sym.startPrice), vc);
        const book = new SimBook(cfg.control.historySize);
        const shaper = new BookShaper(book, inst, vc, root.fork(3));
        const mb: MarketBook = { venue, venueIndex, inst, book, shaper };
        map.set(sym.symbol, mb);
        this.books.push(mb);
      }
      this.byVenue.set(venue, map);
    });
    for (const mb of this.books) this.count(mb.shaper.recenter(this.process(mb.inst.symbol).mid(mb.venueIndex)));
    // The initial build is step 0's output too: publishers see it like any other change.
  }

  book(venue: VenueName, symbol: string): MarketBook | undefined {
    return this.byVenue.get(venue)?.get(symbol);
  }

  fairPrice(symbol: string): number | undefined {
    return this.processes.get(symbol)?.fair;
  }

  /** Advances the model by one tick: advance() then quote(). */
  step(): void {
    this.advance();
    this.quote();
  }

  /**
   * First half of a step: applies the dislocations due now, moves model time by tickMs, the fair prices and venue
   * mids (and draws the model's own jumps). Books are not touched: the step's takers (rivals) act on the books as
   * they were, then quote() re-quotes them.
   */
  advance(): void {
    const { tickMs, jumps } = this.cfg;
    while (this.scheduled.length > 0 && (this.scheduled[0] as ScheduledDislocation).atMs <= this.now) {
      const d = this.scheduled.shift() as ScheduledDislocation;
      this.applyDislocation(d.venue, d.symbol, d.bps, d.durationMs);
    }
    this.now += tickMs;
    this.counters.steps++;
    for (const proc of this.processes.values()) {
      proc.step(tickMs, this.now);
      if (jumps.perMinute > 0 && !proc.jumpPending(this.now) && this.rng.next() < (jumps.perMinute * tickMs) / 60000) {
        const bps = this.rng.range(jumps.minBps, jumps.maxBps) * (this.rng.next() < 0.5 ? -1 : 1);
        const leader = this.rng.int(VENUES.length);
        const delays = VENUES.map(() => this.rng.range(jumps.minDelayMs, jumps.maxDelayMs));
        proc.jump(leader, bps, this.now, delays);
        this.counters.jumps++;
      }
    }
  }

  /** Second half of a step: every book re-quotes around its venue mid, then size churn fills the update budget. */
  quote(): void {
    const { tickMs, rate } = this.cfg;
    let produced = 0;
    for (const mb of this.books) produced += this.count(mb.shaper.recenter(this.process(mb.inst.symbol).mid(mb.venueIndex)));
    this.budget += (rate.levelUpdatesPerSec * tickMs) / 1000 - produced;
    if (this.budget < -rate.levelUpdatesPerSec) this.budget = -rate.levelUpdatesPerSec;
    const n = this.books.length;
    while (this.budget >= 1) {
      const k = Math.min(1 + this.rng.int(rate.maxLevelsPerChange), Math.floor(this.budget));
      const mb = this.books[this.rng.int(n)] as MarketBook;
      const made = this.count(mb.shaper.churn(k));
      this.budget -= made > 0 ? made : 1;
    }
  }

  /**
   * Forces a jump of `bps` on one venue; the other venues keep quoting the old level for `durationMs`, then follow.
   * With `atModelMs` later than now it waits, and applies at the start of the first step whose model time has
   * reached it (the same model instant whatever the wall clock). 'unknown': unknown venue/symbol; 'full':
   * MAX_SCHEDULED_DISLOCATIONS are already waiting.
   */
  dislocate(venue: VenueName, symbol: string, bps: number, durationMs: number, atModelMs?: number): 'ok' | 'unknown' | 'full' {
    if (!this.processes.has(symbol) || !VENUES.includes(venue)) return 'unknown';
    if (atModelMs === undefined || atModelMs <= this.now) {
      this.applyDislocation(venue, symbol, bps, durationMs);
      return 'ok';
    }
    if (this.scheduled.length >= MAX_SCHEDULED_DISLOCATIONS) return 'full';
    let i = this.scheduled.length;
    while (i > 0 && (this.scheduled[i - 1] as ScheduledDislocation).atMs > atModelMs) i--;
    this.scheduled.splice(i, 0, { atMs: atModelMs, venue, symbol, bps, durationMs });
    return 'ok';
  }

  /** Dislocations waiting for their model time. */
  get scheduledDislocations(): number {
    return this.scheduled.length;
  }

  /** What a window of `symbol` opening now comes from (the last jump while its effect lasts, else noise). */
  causeOf(symbol: string): JumpCause | 'noise' {
    return this.process(symbol).causeAt(this.now);
  }

  /** Adverse selection: venue `venueIndex` stops quoting a stale level of `symbol`: its mid is the fair price now. */
  converge(venueIndex: number, symbol: string): void {
    this.processes.get(symbol)?.converge(venueIndex);
  }

  /** Forgets the changes of the last step (after publishers consumed them). */
  clearStep(): void {
    for (const mb of this.books) mb.book.buffer.reset();
  }

  private applyDislocation(venue: VenueName, symbol: string, bps: number, durationMs: number): void {
    this.process(symbol).jump(VENUES.indexOf(venue), bps, this.now, VENUES.map(() => durationMs), 'dislocate');
    this.counters.jumps++;
  }

  private process(symbol: string): PriceProcess {
    return this.processes.get(symbol) as PriceProcess;
  }

  private count(updates: number): number {
    if (updates > 0) {
      this.counters.changes++;
      this.counters.levelUpdates += updates;
    }
    return updates;
  }
}
