import Big from 'big.js';
import { legOutcome, ordersPnl, type LegOutcome } from './pnl';
import { routeOf, type Detection, type SimOrder, type SimWindow, type StrategyRun } from './records';

/** What makes a window worth taking and the target subset (issue 11: net edge ≥ 2 × threshold, lasting ≥ 200 ms). */
export interface MatchCriteria {
  readonly thresholdBps: number;
  readonly minProfitQuote: string;
  readonly targetMinDurationMs: number;
  /** Clock tolerance (ms) around a window's open/close when matching decisions (processes stamp the same clock). */
  readonly toleranceMs: number;
}

export interface CaptureStats {
  readonly name: string;
  readonly windows: number;
  /** Best net edge ≥ threshold and best profit ≥ minProfitUsd. */
  readonly worth: number;
  readonly detected: number;
  readonly tradedWindows: number;
  readonly trades: number;
  /** Trades decided while no window of their route was open (late or on a stale book). */
  readonly tradesOutsideWindows: number;
  readonly outcomes: Readonly<Record<LegOutcome, number>>;
  /** Realized: the quantity bought and sold (a leftover valued at its own fill price). */
  readonly pnl: Big;
  /** The leftover of one-legged trades valued at the end-of-run mark instead: what the exposure happened to be worth. */
  readonly leftoverMtm: Big;
  readonly oracle: Big;
  /** Σ of the ground truth's best profit (whole window size, true books) over the windows worth taking / the target subset. */
  readonly truthWorth: Big;
  readonly truthTarget: Big;
  readonly residualBase: Readonly<Record<string, string>>;
  /** Window open → first decision, ms, sorted. */
  readonly latencies: readonly number[];
  readonly target: number;
  readonly targetTraded: number;
  /** Orders the sim holds that belong to no recorded trade (should be 0). */
  readonly unmatchedOrders: number;
  /** The sim's `venue/clientOrderId` of each unmatched order (what to look for in the sim's and the executor's logs). */
  readonly unmatchedCids: readonly string[];
  /** Recorded orders the sim does not know (should be 0). */
  readonly missingOrders: number;
  /** Per window not traded in the target subset: why it looks missed (for the note). */
  readonly targetMissed: readonly string[];
  /** One line per window: route, cause, edge, length, how it closed, first decision, this strategy's trades. */
  readonly windowLines: readonly string[];
}

const closeOf = (w: SimWindow, end: number): number => w.closeTs ?? end;

/** The window of the trade's route open at `ts` (within tolerance), the latest opened first. */
export function windowAt(ws: readonly SimWindow[], route: string, ts: number, c: MatchCriteria, end: number): SimWindow | undefined {
  let found: SimWindow | undefined;
  for (const w of ws) {
    if (routeOf(w.symbol, w.buyVenue, w.sellVenue) !== route) continue;
    if (ts >= w.openTs - c.toleranceMs && ts <= closeOf(w, end) + c.toleranceMs) found = w;
  }
  return found;
}

export function isWorth(w: SimWindow, c: MatchCriteria): boolean {
  return w.best.edgeBps >= c.thresholdBps && new Big(w.best.profitQuote).gte(c.minProfitQuote);
}

/**
 * Target subset: best net edge ≥ 2 × threshold and the window lasted ≥ targetMinDurationMs, or was closed by this
 * strategy's own order (then its natural length is unknown: it was still open when the order arrived).
 */
export function isTarget(w: SimWindow, c: MatchCriteria): boolean {
  const lasted = w.open || w.closeReason === 'account' || (w.durationModelMs ?? 0) >= c.targetMinDurationMs;
  return w.best.edgeBps >= 2 * c.thresholdBps && lasted;
}

/** Matches one strategy's decisions, trades and orders against the ground truth. */
export function matchRun(run: StrategyRun, c: MatchCriteria, endTs: number): CaptureStats {
  const byCid = new Map(run.orders.map((o) => [`${o.venue}/${o.clientOrderId}`, o]));
  const cidOnly = new Map(run.orders.map((o) => [o.clientOrderId, o]));
  const firstDetection = new Map<number, number>();
  const tradedIds = new Set<number>();
  const perWindow = new Map<number, LegOutcome[]>();
  const detect = (d: Detection): void => {
    const w = windowAt(run.windows, d.route, d.ts, c, endTs);
    if (w !== undefined && !firstDetection.has(w.id)) firstDetection.set(w.id, d.ts);
  };
  for (const d of [...run.detections].sort((a, b) => a.ts - b.ts)) detect(d);
  const outcomes: Record<LegOutcome, number> = { both: 0, 'one-legged': 0, partial: 0, none: 0 };
  let outside = 0;
  let pnl = new Big(0);
  let mtm = new Big(0);
  let oracle = new Big(0);
  const residual = new Map<string, Big>();
  const claimed = new Set<string>();
  let missing = 0;
  for (const t of run.trades) {
    const w = windowAt(run.windows, t.route, t.ts, c, endTs);
    if (w === undefined) outside++;
    else {
      tradedIds.add(w.id);
      if (!firstDetection.has(w.id)) firstDetection.set(w.id, t.ts);
    }
    const outcome = legOutcome(t, cidOnly);
    outcomes[outcome]++;
    if (w !== undefined) perWindow.set(w.id, [...(perWindow.get(w.id) ?? []), outcome]);
    oracle = oracle.plus(t.oracleQuote);
    const orders: SimOrder[] = [];
    for (const cid of [t.buyCid, t.sellCid, ...t.extraCids]) {
      const o = cidOnly.get(cid);
      if (o === undefined) missing++;
      else {
        orders.push(o);
        claimed.add(`${o.venue}/${o.clientOrderId}`);
      }
    }
    const r = ordersPnl(orders, t.symbol, new Big(run.marks[t.symbol] ?? '0'));
    pnl = pnl.plus(r.realized);
    mtm = mtm.plus(r.marked.minus(r.realized));
    residual.set(t.symbol, (residual.get(t.symbol) ?? new Big(0)).plus(r.residualBase));
  }
  const worth = run.windows.filter((w) => isWorth(w, c));
  const target = run.windows.filter((w) => isTarget(w, c));
  const sum = (ws: readonly SimWindow[]): Big => ws.reduce((s, w) => s.plus(w.best.profitQuote), new Big(0));
  const latencies = run.windows.flatMap((w) => {
    const at = firstDetection.get(w.id);
    return at === undefined ? [] : [at - w.openTs];
  });
  latencies.sort((a, b) => a - b);
  return {
    name: run.name,
    windows: run.windows.length,
    worth: worth.length,
    detected: firstDetection.size,
    tradedWindows: tradedIds.size,
    trades: run.trades.length,
    tradesOutsideWindows: outside,
    outcomes,
    pnl,
    leftoverMtm: mtm,
    oracle,
    truthWorth: sum(worth),
    truthTarget: sum(target),
    residualBase: Object.fromEntries([...residual].map(([k, v]) => [k, v.toString()])),
    latencies,
    target: target.length,
    targetTraded: target.filter((w) => tradedIds.has(w.id)).length,
    unmatchedOrders: [...byCid.keys()].filter((k) => !claimed.has(k)).length,
    unmatchedCids: [...byCid.keys()].filter((k) => !claimed.has(k)),
    missingOrders: missing,
    windowLines: run.windows.map((w) => {
      const at = firstDetection.get(w.id);
      const tr = perWindow.get(w.id) ?? [];
      return `#${w.id} ${routeOf(w.symbol, w.buyVenue, w.sellVenue)} ${w.cause} best ${w.best.edgeBps.toFixed(1)} bps profit ${new Big(w.best.profitQuote).toFixed(2)} ${w.durationModelMs ?? 'open'} ms closed by ${w.closeReason ?? '-'}${isTarget(w, c) ? ' [target]' : ''}: ${at === undefined ? 'not detected' : `detected +${(at - w.openTs).toFixed(1)} ms`}, ${tr.length} trades ${tr.join(' ')}`;
    }),
    targetMissed: target
      .filter((w) => !tradedIds.has(w.id))
      .map((w) => `#${w.id} ${routeOf(w.symbol, w.buyVenue, w.sellVenue)} ${w.cause} ${w.best.edgeBps.toFixed(1)} bps ${w.durationModelMs ?? 'open'} ms closed by ${w.closeReason ?? '-'}${firstDetection.has(w.id) ? ' (detected, not traded)' : ''}`),
  };
}

/** p-quantile of sorted values (nearest rank), undefined when empty. */
export function quantile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
