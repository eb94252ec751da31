import type { VenueName } from '../model/market';
import type { Side } from '../trading/order';
import type { WindowDoc } from './windows-doc';

/** What opened a window: a forced /control/dislocate, one of the model's own jumps, or the venues' noise. */
export type WindowCause = 'dislocate' | 'jump' | 'noise';
/** How it closed: takers (rivals / an account's orders) cleared it, or the venues' quotes moved together. */
export type CloseReason = 'rival' | 'convergence' | 'account';
export const WINDOW_CAUSES: readonly WindowCause[] = ['dislocate', 'jump', 'noise'];
export const CLOSE_REASONS: readonly CloseReason[] = ['rival', 'convergence', 'account'];

/** A point in time: local epoch ms with a sub-ms fraction (the services' clock) and model ms. */
export interface Moment {
  readonly ts: number;
  readonly modelMs: number;
}

/** A window's executable state at one moment (the true books, exact decimals). */
export interface WindowSnapshot extends Moment {
  /** Net edge of the first unit after both taker fees, bps of the buy price (4 decimals). */
  readonly edgeBps: number;
  /** Base size executable at a positive net edge (walking asks against bids), and its net profit in quote. */
  readonly size: string;
  readonly profitQuote: string;
  readonly buyNotional: string;
  /** Best ask on the buy venue / best bid on the sell venue, and the worst levels the size touches. */
  readonly buyPrice: string;
  readonly sellPrice: string;
  readonly buyLimit: string;
  readonly sellLimit: string;
  /** The books' update ids of this state (GET /control/book?updateId=, with sim.control.historySize > 0). */
  readonly buyUpdateId: number;
  readonly sellUpdateId: number;
}

export interface WindowTrader extends Moment {
  readonly venue: VenueName;
  /** The account's key (Binance API key / Coinbase key name), as GET /control/accounts shows it. */
  readonly account: string;
  readonly side: Side;
  /** Base quantity the order filled. */
  readonly qty: string;
}

export interface RivalSweep extends Moment {
  /** The reaction time drawn for this sweep (model ms from the crossing it answered). */
  readonly reactionMs: number;
  /** Base quantities filled on the buy venue (asks bought) and the sell venue (bids sold). */
  readonly buyQty: string;
  readonly sellQty: string;
  readonly buyLimit: string;
  readonly sellLimit: string;
}

/** Per-window lists are bounded; `omitted` counts what did not fit. */
export const MAX_LIST = 32;

/** One arbitrage window of one direction (buy on buyVenue, sell on sellVenue) of one symbol. */
export interface WindowRecord {
  readonly id: number;
  readonly symbol: string;
  readonly buyVenue: VenueName;
  readonly sellVenue: VenueName;
  readonly cause: WindowCause;
  readonly fees: { readonly buy: string; readonly sell: string; readonly buyFeeIn: 'base' | 'quote' };
  readonly openTs: number;
  readonly openModelMs: number;
  closeTs: number | null;
  closeModelMs: number | null;
  closeReason: CloseReason | null;
  /** The account whose order closed it (closeReason 'account'). */
  closedBy: { venue: VenueName; account: string } | null;
  readonly atOpen: WindowSnapshot;
  best: WindowSnapshot;
  readonly traders: WindowTrader[];
  tradersOmitted: number;
  readonly rivalSweeps: RivalSweep[];
  rivalSweepsOmitted: number;
}

/** The JSON view (GET /control/windows). */
export function windowJson(w: WindowRecord): WindowDoc {
  return {
    id: w.id,
    symbol: w.symbol,
    buyVenue: w.buyVenue,
    sellVenue: w.sellVenue,
    cause: w.cause,
    open: w.closeTs === null,
    openTs: w.openTs,
    openModelMs: w.openModelMs,
    closeTs: w.closeTs,
    closeModelMs: w.closeModelMs,
    durationModelMs: w.closeModelMs === null ? null : w.closeModelMs - w.openModelMs,
    closeReason: w.closeReason,
    closedBy: w.closedBy,
    fees: w.fees,
    atOpen: w.atOpen,
    best: w.best,
    traders: w.traders,
    tradersOmitted: w.tradersOmitted,
    rivalSweeps: w.rivalSweeps,
    rivalSweepsOmitted: w.rivalSweepsOmitted,
  };
}
