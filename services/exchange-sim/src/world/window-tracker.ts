import type Big from 'big.js';
import { priceStr } from '../model/format';
import type { VenueName } from '../model/market';
import type { Side } from '../trading/order';
import { walkCrossed, type WalkResult } from './book-walk';
import type { Direction } from './direction';
import { Ring } from './ring';
import {
  CLOSE_REASONS,
  MAX_LIST,
  WINDOW_CAUSES,
  type CloseReason,
  type Moment,
  type RivalSweep,
  type WindowCause,
  type WindowRecord,
  type WindowSnapshot,
} from './window-record';

/** Why a screen may close a window, and by whom (for 'account'). */
export interface CloseContext {
  readonly reason: CloseReason;
  readonly by?: { venue: VenueName; account: string };
}

export interface WindowCounters {
  opened: number;
  closed: number;
  byCause: Record<WindowCause, number>;
  byClose: Record<CloseReason, number>;
}

export type ScreenOutcome = 'none' | 'opened' | 'open' | 'closed';

const BEST_EPS_BPS = 1e-6;

const zeroed = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/**
 * The ground truth of arbitrage windows: a window of a direction is open while the first unit bought on the buy
 * venue's best ask and sold on the sell venue's best bid makes a positive net profit after both venues' taker fees.
 * Screened in floats on every check; the exact walk runs only while crossed (at the opening and at each new best edge).
 */
export class WindowTracker {
  readonly ring: Ring<WindowRecord>;
  readonly counters: WindowCounters = { opened: 0, closed: 0, byCause: zeroed(WINDOW_CAUSES), byClose: zeroed(CLOSE_REASONS) };
  private nextId = 1;
  private openNow = 0;

  constructor(capacity: number) {
    this.ring = new Ring(capacity);
  }

  get openCount(): number {
    return this.openNow;
  }

  /** Re-checks direction `d` at `at`: opens its window (cause from `causeOf`), records a new best, or closes it. */
  screen(d: Direction, at: Moment, close: CloseContext, causeOf: () => WindowCause): ScreenOutcome {
    const w = d.window;
    if (!d.crossed(d.fees, 0)) {
      if (w === null) return 'none';
      this.close(d, w, at, close);
      return 'closed';
    }
    if (w === null) {
      const walk = walkCrossed(d.buy, d.sell, d.fees);
      if (walk === null) return 'none';
      this.open(d, walk, at, causeOf());
      return 'opened';
    }
    // A float margin far above double error: a higher float edge is a higher exact edge.
    const edgeF = d.topEdgeF(d.fees);
    if (edgeF > d.bestEdgeF + BEST_EPS_BPS) {
      const walk = walkCrossed(d.buy, d.sell, d.fees);
      if (walk !== null) {
        w.best = snapshot(d, walk, at);
        d.bestEdgeF = edgeF;
      }
    }
    return 'open';
  }

  /** An account's order on `venue` filled `qty`: recorded in every open window of `symbol` it traded into. */
  traded(dirs: readonly Direction[], venue: VenueName, side: Side, account: string, qty: string, at: Moment): void {
    for (const d of dirs) {
      const w = d.window;
      if (w === null) continue;
      if (!(side === 'buy' ? d.buy.venue === venue : d.sell.venue === venue)) continue;
      if (w.traders.length < MAX_LIST) w.traders.push({ ...at, venue, account, side, qty });
      else w.tradersOmitted++;
    }
  }

  /** A rival swept direction `d` (recorded in its open window, if any). */
  rivalSwept(d: Direction, sweep: RivalSweep): void {
    const w = d.window;
    if (w === null) return;
    if (w.rivalSweeps.length < MAX_LIST) w.rivalSweeps.push(sweep);
    else w.rivalSweepsOmitted++;
  }

  private open(d: Direction, walk: WalkResult, at: Moment, cause: WindowCause): void {
    const snap = snapshot(d, walk, at);
    const w: WindowRecord = {
      id: this.nextId++,
      symbol: d.symbol,
      buyVenue: d.buy.venue,
      sellVenue: d.sell.venue,
      cause,
      fees: { buy: d.fees.buyRate, sell: d.fees.sellRate, buyFeeIn: d.fees.buyFeeIn },
      openTs: at.ts,
      openModelMs: at.modelMs,
      closeTs: null,
      closeModelMs: null,
      closeReason: null,
      closedBy: null,
      atOpen: snap,
      best: snap,
      traders: [],
      tradersOmitted: 0,
      rivalSweeps: [],
      rivalSweepsOmitted: 0,
    };
    d.window = w;
    d.bestEdgeF = d.topEdgeF(d.fees);
    this.ring.push(w);
    this.counters.opened++;
    this.counters.byCause[cause]++;
    this.openNow++;
  }

  private close(d: Direction, w: WindowRecord, at: Moment, close: CloseContext): void {
    w.closeTs = at.ts;
    w.closeModelMs = at.modelMs;
    w.closeReason = close.reason;
    w.closedBy = close.by ?? null;
    d.window = null;
    d.bestEdgeF = -Infinity;
    this.counters.closed++;
    this.counters.byClose[close.reason]++;
    this.openNow--;
  }
}

const fixed = (x: Big): string => x.toFixed();

function snapshot(d: Direction, walk: WalkResult, at: Moment): WindowSnapshot {
  return {
    ts: at.ts,
    modelMs: at.modelMs,
    edgeBps: Number(walk.topEdgeBps.toFixed(4)),
    size: fixed(walk.size),
    profitQuote: fixed(walk.profit),
    buyNotional: fixed(walk.buyNotional),
    buyPrice: priceStr(d.buy.inst, walk.buyTopTick),
    sellPrice: priceStr(d.sell.inst, walk.sellTopTick),
    buyLimit: priceStr(d.buy.inst, walk.buyLimitTick),
    sellLimit: priceStr(d.sell.inst, walk.sellLimitTick),
    buyUpdateId: d.buy.book.updateId,
    sellUpdateId: d.sell.book.updateId,
  };
}
