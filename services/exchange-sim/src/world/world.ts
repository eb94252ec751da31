import Big from 'big.js';
import type { SimConfig } from '../config/schema';
import { effectiveReaction } from '../config/parse';
import { nowMs } from '../model/format';
import { VENUES, type Market, type VenueName } from '../model/market';
import { Rng } from '../model/rng';
import type { FeePolicy } from '../trading/fees';
import type { SimOrder } from '../trading/order';
import { Direction, type RivalSettings } from './direction';
import { feeFactors, type FeeFactors } from './fee-factors';
import { ReactionSampler } from './reaction';
import { RivalDesk, type Taker } from './rival-desk';
import { WindowTracker, type CloseContext } from './window-tracker';
import type { Moment, WindowCause } from './window-record';

/** A venue's matching engine as the world sees it: where rivals take, and the venue's taker fees. */
export interface VenueEngine extends Taker {
  readonly fees: FeePolicy;
}

const AT_STEP_END: CloseContext = { reason: 'convergence' };
const BY_RIVAL: CloseContext = { reason: 'rival' };

/**
 * The simulated world around the market model: the ground truth of arbitrage windows between the venues, the rival
 * takers who trade them, and the venues' convergence when takers clear a window (adverse selection).
 *
 * One step: market.advance() (time, fair prices, mids) → due rivals sweep the books as they stand → market.quote()
 * (books re-quote; a venue whose window takers cleared re-quotes at the fair price) → every direction is screened.
 * Account orders land between steps (onOrderDone). Deterministic for a seed and a sequence of steps, control calls
 * and orders; local timestamps are recorded beside model time but never decide anything.
 */
export class SimWorld {
  readonly windows: WindowTracker;
  readonly rivals: RivalDesk;
  readonly directions: Direction[] = [];
  private readonly bySymbol = new Map<string, Direction[]>();

  constructor(
    readonly market: Market,
    cfg: SimConfig,
    engines: Readonly<Record<VenueName, VenueEngine>>,
    private readonly clock: () => number = nowMs,
  ) {
    this.windows = new WindowTracker(cfg.windows.capacity);
    this.rivals = new RivalDesk(engines);
    const rng = new Rng(cfg.seed).fork(55);
    const rivalFee = (v: VenueName): Big => new Big(cfg.rivals.takerFee[v] ?? engines[v].fees.rate);
    const feesOf = (buy: VenueName, sell: VenueName, rate: (v: VenueName) => Big): FeeFactors =>
      feeFactors(rate(buy), !engines[buy].fees.feeInQuote('buy'), rate(sell));
    for (const symbol of market.symbols) {
      const rival = rivalSettings(cfg, symbol, rng);
      const dirs: Direction[] = [];
      for (const buy of VENUES) {
        for (const sell of VENUES) {
          const b = market.book(buy, symbol);
          const s = market.book(sell, symbol);
          if (buy === sell || !b || !s) continue;
          const d = new Direction(this.directions.length, symbol, b, s, feesOf(buy, sell, (v) => engines[v].fees.rate), feesOf(buy, sell, rivalFee), rival);
          this.directions.push(d);
          dirs.push(d);
        }
      }
      this.bySymbol.set(symbol, dirs);
    }
    // The initial books may already be crossed.
    this.screenAll();
  }

  /** One model step (see the class comment). The step's book changes stay in the buffers for the publishers. */
  step(): void {
    this.market.advance();
    this.fireRivals();
    this.market.quote();
    this.screenAll();
  }

  /** An account's order finished matching (engine 'done' event): attributes its fills, closes what it cleared. */
  onOrderDone(order: SimOrder): void {
    if (order.fills.length === 0) return;
    const dirs = this.bySymbol.get(order.symbol);
    if (!dirs) return;
    const at = this.moment();
    this.windows.traded(dirs, order.venue, order.side, order.accountKey, order.filledQty.toFixed(), at);
    const close: CloseContext = { reason: 'account', by: { venue: order.venue, account: order.accountKey } };
    let cleared = false;
    for (const d of dirs) {
      // A buy only lifts the buy venue's asks, a sell only lowers the sell venue's bids: no other direction changed.
      if (!(order.side === 'buy' ? d.buy.venue === order.venue : d.sell.venue === order.venue)) continue;
      if (this.windows.screen(d, at, close, () => this.causeOf(d)) === 'closed') cleared = true;
      this.rivals.observe(d, at.modelMs);
    }
    if (cleared) this.market.converge(VENUES.indexOf(order.venue), order.symbol);
  }

  private fireRivals(): void {
    const now = this.market.now;
    for (const d of this.rivals.due(this.directions, now)) {
      const at = this.moment();
      const sweep = this.rivals.fire(d, at);
      if (sweep === null) continue;
      this.windows.rivalSwept(d, sweep);
      for (const x of this.bySymbol.get(d.symbol) ?? []) {
        this.windows.screen(x, at, BY_RIVAL, () => this.causeOf(x));
        if (x !== d) this.rivals.observe(x, at.modelMs);
      }
      // The mispriced liquidity is gone: both venues stop quoting the stale level.
      if (!d.rivalCrossed) {
        this.market.converge(d.buy.venueIndex, d.symbol);
        this.market.converge(d.sell.venueIndex, d.symbol);
      }
    }
  }

  private screenAll(): void {
    const at = this.moment();
    for (const d of this.directions) {
      this.windows.screen(d, at, AT_STEP_END, () => this.causeOf(d));
      this.rivals.observe(d, at.modelMs);
    }
  }

  private causeOf(d: Direction): WindowCause {
    return this.market.causeOf(d.symbol);
  }

  private moment(): Moment {
    return { ts: this.clock(), modelMs: this.market.now };
  }
}

function rivalSettings(cfg: SimConfig, symbol: string, rng: Rng): RivalSettings | null {
  const o = cfg.rivals.symbols[symbol];
  if (!(o?.enabled ?? cfg.rivals.enabled)) return null;
  return {
    share: new Big(o?.share ?? cfg.rivals.share),
    minEdgeBps: o?.minEdgeBps ?? cfg.rivals.minEdgeBps,
    reaction: new ReactionSampler(effectiveReaction(cfg.rivals.reaction, o), rng),
  };
}
