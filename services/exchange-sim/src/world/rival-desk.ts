import type { MarketBook, VenueName } from '../model/market';
import { priceStr } from '../model/format';
import type { MatchResult } from '../trading/matching';
import type { Side } from '../trading/order';
import { lotQty, lotsCovering, walkCrossed } from './book-walk';
import type { Direction } from './direction';
import type { Moment, RivalSweep } from './window-record';

/** Where a rival's orders go: the venue's matching engine (TradingEngine.sweep). */
export interface Taker {
  sweep(mb: MarketBook, side: Side, lots: number, limitTick: number): MatchResult;
}

export interface RivalCounters {
  /** Crossings a rival answered with a reaction time. */
  scheduled: number;
  /** Sweeps that traded. */
  sweeps: number;
  /** Scheduled rivals that found nothing profitable left when their time came (the window was gone). */
  missed: number;
  /** Rival orders that filled, per venue. */
  fills: Record<string, number>;
}

/**
 * Rival takers: a sim-internal account. When a direction becomes crossed after the rivals' fees (above their
 * minimum edge), a rival arms with a reaction time; when model time reaches it, the rival walks the true books and
 * takes `share` of the profitable size on both venues, as two IOC orders through the venues' matching engines.
 */
export class RivalDesk {
  readonly counters: RivalCounters;

  constructor(private readonly takers: Readonly<Record<VenueName, Taker>>) {
    this.counters = { scheduled: 0, sweeps: 0, missed: 0, fills: Object.fromEntries(Object.keys(takers).map((v) => [v, 0])) };
  }

  /**
   * After a screen of `d` at model time `now`: a fresh crossing arms a rival (reaction drawn now); no crossing
   * disarms it (the window went before the rival came).
   */
  observe(d: Direction, now: number): void {
    const r = d.rival;
    if (r === null) return;
    const crossed = d.crossed(d.rivalFees, r.minEdgeBps);
    if (crossed && !d.rivalCrossed && d.rivalFireAt === Infinity) this.arm(d, now);
    if (!crossed && d.rivalFireAt !== Infinity) {
      d.rivalFireAt = Infinity;
      this.counters.missed++;
    }
    d.rivalCrossed = crossed;
  }

  /** Directions whose rival is due at model time `now`, in firing order (time, then direction index). */
  due(dirs: readonly Direction[], now: number): Direction[] {
    return dirs.filter((d) => d.rivalFireAt <= now).sort((a, b) => a.rivalFireAt - b.rivalFireAt || a.index - b.index);
  }

  /**
   * The rival of `d` acts now: takes `share` of the size profitable after its fees (both legs), or nothing when
   * nothing is. Re-arms (a next rival, new reaction) when the direction is still crossed afterwards.
   */
  fire(d: Direction, at: Moment): RivalSweep | null {
    const r = d.rival;
    const reactionMs = d.rivalReactionMs;
    d.rivalFireAt = Infinity;
    if (r === null) return null;
    const walk = walkCrossed(d.buy, d.sell, d.rivalFees, r.minEdgeBps);
    let sweep: RivalSweep | null = null;
    if (walk === null) this.counters.missed++;
    else {
      const size = walk.size.times(r.share);
      const bought = this.leg(d.buy, 'buy', lotsCovering(d.buy.inst, size), walk.buyLimitTick);
      const sold = this.leg(d.sell, 'sell', lotsCovering(d.sell.inst, size), walk.sellLimitTick);
      this.counters.sweeps++;
      sweep = {
        ...at,
        reactionMs,
        buyQty: lotQty(d.buy.inst, bought).toFixed(),
        sellQty: lotQty(d.sell.inst, sold).toFixed(),
        buyLimit: priceStr(d.buy.inst, walk.buyLimitTick),
        sellLimit: priceStr(d.sell.inst, walk.sellLimitTick),
      };
    }
    d.rivalCrossed = d.crossed(d.rivalFees, r.minEdgeBps);
    if (d.rivalCrossed) this.arm(d, at.modelMs);
    return sweep;
  }

  private arm(d: Direction, now: number): void {
    const ms = (d.rival as NonNullable<Direction['rival']>).reaction.draw();
    d.rivalReactionMs = ms;
    d.rivalFireAt = now + ms;
    this.counters.scheduled++;
  }

  private leg(mb: MarketBook, side: Side, lots: number, limitTick: number): number {
    if (lots <= 0) return 0;
    const m = this.takers[mb.venue].sweep(mb, side, lots, limitTick);
    if (m.filledLots > 0) this.counters.fills[mb.venue] = (this.counters.fills[mb.venue] ?? 0) + 1;
    return m.filledLots;
  }
}
