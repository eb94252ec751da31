import Big from 'big.js';
import type { SimProcess } from '../stack/sim-process';
import { CAPTURE_SYMBOLS, CAPTURE_VENUES } from './params';
import type { SimOrder, SimWindow, TradeRecord } from './records';

/** Ground truth after a run: the windows opened from model instant `fromModelMs` on, every order, end-of-run marks. */
export async function simTruth(sim: SimProcess, fromModelMs: number): Promise<{ windows: SimWindow[]; orders: SimOrder[]; marks: Record<string, string> }> {
  const doc = await sim.control<{ v: number; windows: SimWindow[] }>('/control/windows?limit=10000');
  if (doc.v !== 1) throw new Error(`exchange-sim /control/windows: unknown version ${doc.v}`);
  const orders = (await sim.control<{ orders: SimOrder[] }>('/control/orders')).orders;
  const marks: Record<string, string> = {};
  for (const symbol of CAPTURE_SYMBOLS) {
    let sum = new Big(0);
    for (const venue of CAPTURE_VENUES) {
      const t = await sim.top(venue, symbol);
      sum = sum.plus(new Big(t.bid).plus(t.ask).div(2));
    }
    marks[symbol] = sum.div(CAPTURE_VENUES.length).toString();
  }
  return { windows: doc.windows.filter((w) => w.openModelMs >= fromModelMs), orders, marks };
}

/** Local time of model instant `modelMs` (the model runs at wall-clock pace; read just before it is reached). */
export async function localTimeOfModel(sim: SimProcess, modelMs: number): Promise<number> {
  const s = await sim.control<{ ts?: number; model: { timeMs: number } }>('/control/stats');
  return performance.timeOrigin + performance.now() + (modelMs - s.model.timeMs);
}

/**
 * Leaves out the trades decided before `startTs` (warm-up: the sim's own windows before the schedule) and their
 * orders. Orders of a trade nobody recorded (decided before the recorder subscribed: same client order id prefix, the
 * part before the last `-`) whose first order reached the sim before `startTs` are warm-up too.
 */
export function dropWarmup(trades: readonly TradeRecord[], orders: readonly SimOrder[], startTs: number): { trades: TradeRecord[]; orders: SimOrder[] } {
  const warm = trades.filter((t) => t.ts < startTs);
  const cids = new Set(warm.flatMap((t) => [t.buyCid, t.sellCid, ...t.extraCids]));
  const known = new Set(trades.flatMap((t) => [t.buyCid, t.sellCid, ...t.extraCids]).map(tradePrefix));
  const firstAt = new Map<string, number>();
  for (const o of orders) {
    const p = tradePrefix(o.clientOrderId);
    if (o.createdTs !== undefined) firstAt.set(p, Math.min(firstAt.get(p) ?? Infinity, o.createdTs));
  }
  const unrecordedWarm = (cid: string): boolean => {
    const p = tradePrefix(cid);
    return !known.has(p) && (firstAt.get(p) ?? Infinity) < startTs;
  };
  return { trades: trades.filter((t) => t.ts >= startTs), orders: orders.filter((o) => !cids.has(o.clientOrderId) && !unrecordedWarm(o.clientOrderId)) };
}

function tradePrefix(cid: string): string {
  const i = cid.lastIndexOf('-');
  return i < 0 ? cid : cid.slice(0, i);
}
