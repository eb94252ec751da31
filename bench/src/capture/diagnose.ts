import Big from 'big.js';
import { isWorth, quantile, windowAt, type MatchCriteria } from './matcher';
import { legOutcome, type LegOutcome } from './pnl';
import { type SimOrder, type SimWindow, type StrategyRun, type TradeRecord } from './records';

/**
 * Where a trade's short leg went wrong, from the sim's ground truth:
 * - `after-rival`: the short leg reached the sim after a rival swept the trade's window (the mispriced level was gone);
 * - `after-close`: after the window had closed some other way (convergence, another order);
 * - `in-window`: while the window was still open and unswept (the level was smaller than the order, or moved);
 * - `no-window`: the trade was decided while no window of its route was open;
 * - `unknown`: the sim's record lacks the arrival time.
 */
export type ShortLegCause = 'after-rival' | 'after-close' | 'in-window' | 'no-window' | 'unknown';

export interface TradeDiagnosis {
  readonly id: string;
  readonly route: string;
  readonly outcome: LegOutcome;
  /** The entry leg that filled less (a one-legged trade), or null. */
  readonly shortLeg: 'buy' | 'sell' | null;
  readonly shortVenue: string | null;
  readonly cause: ShortLegCause | null;
  readonly windowId: number | null;
  /** ms from the window's open: decision, each leg's arrival at the sim, the first rival sweep, the close. */
  readonly detectMs: number | null;
  readonly buyArriveMs: number | null;
  readonly sellArriveMs: number | null;
  readonly rivalMs: number | null;
  readonly closeMs: number | null;
  readonly closeReason: string | null;
  /** ms: decision → both orders sent (ours), sent → arrival per leg (ours), |buy arrival − sell arrival|. */
  readonly decideToSendMs: number | null;
  /** Of that: decision → the executor received it (bus), received → sent (admission, Redis). */
  readonly busMs: number | null;
  readonly acquireMs: number | null;
  readonly buyWireMs: number | null;
  readonly sellWireMs: number | null;
  readonly skewMs: number | null;
  /** `buy 1.2/1.4 @3519.47 (touched 3519.41, limit 3519.80)`: each entry leg's fill against its prices. */
  readonly legs: string;
}

const ratio = (o: SimOrder | undefined): Big => (o === undefined || new Big(o.requestedQty).eq(0) ? new Big(0) : new Big(o.filledQty).div(o.requestedQty));
const sub = (a: number | null | undefined, b: number | null | undefined): number | null => (a === null || a === undefined || b === null || b === undefined ? null : a - b);

/** One trade against the window it was decided in. */
export function diagnoseTrade(t: TradeRecord, orders: ReadonlyMap<string, SimOrder>, windows: readonly SimWindow[], c: MatchCriteria, endTs: number): TradeDiagnosis {
  const buy = orders.get(t.buyCid);
  const sell = orders.get(t.sellCid);
  const outcome = legOutcome(t, orders);
  const w = windowAt(windows, t.route, t.ts, c, endTs);
  const open = w?.openTs;
  const rivalTs = w?.rivalSweeps?.[0]?.ts ?? null;
  const shortLeg = outcome === 'one-legged' ? (ratio(buy).lt(ratio(sell)) ? 'buy' : 'sell') : null;
  const shortOrder = shortLeg === 'buy' ? buy : shortLeg === 'sell' ? sell : undefined;
  let cause: ShortLegCause | null = null;
  if (shortLeg !== null) {
    const arrive = shortOrder?.createdTs;
    if (w === undefined) cause = 'no-window';
    else if (arrive === undefined) cause = 'unknown';
    // createdTs is whole ms (Date.now()), window times have a fraction: 1 ms of slack toward "before".
    else if (rivalTs !== null && arrive + 1 > rivalTs) cause = 'after-rival';
    else if (w.closeTs !== null && arrive + 1 > w.closeTs) cause = 'after-close';
    else cause = 'in-window';
  }
  const tm = t.timing;
  const sent = tm === undefined ? null : Math.max(tm.buySentTs ?? -Infinity, tm.sellSentTs ?? -Infinity);
  return {
    id: t.id,
    route: t.route,
    outcome,
    shortLeg,
    shortVenue: shortOrder?.venue ?? null,
    cause,
    windowId: w?.id ?? null,
    detectMs: sub(t.ts, open),
    buyArriveMs: sub(buy?.createdTs, open),
    sellArriveMs: sub(sell?.createdTs, open),
    rivalMs: sub(rivalTs, open),
    closeMs: sub(w?.closeTs, open),
    closeReason: w?.closeReason ?? null,
    decideToSendMs: sent === null || !Number.isFinite(sent) ? null : sent - t.ts,
    busMs: sub(tm?.receivedTs, t.ts),
    acquireMs: sent === null || !Number.isFinite(sent) ? null : sent - (tm?.receivedTs ?? sent),
    buyWireMs: sub(buy?.createdTs, tm?.buySentTs),
    sellWireMs: sub(sell?.createdTs, tm?.sellSentTs),
    legs: [legText('buy', buy, t.prices?.buyTouched, t.prices?.buyLimit), legText('sell', sell, t.prices?.sellTouched, t.prices?.sellLimit)].join(', '),
    skewMs: buy?.createdTs === undefined || sell?.createdTs === undefined ? null : Math.abs(buy.createdTs - sell.createdTs),
  };
}

export interface RunDiagnosis {
  readonly name: string;
  readonly trades: readonly TradeDiagnosis[];
  /** Summary lines (printed with the table) and one line per trade (capture-trades.txt). */
  readonly summary: readonly string[];
  readonly lines: readonly string[];
}

const fmt = (x: number | null): string => (x === null ? '-' : x.toFixed(1));

function dist(xs: readonly (number | null)[]): string {
  const v = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return '-';
  return `p50 ${fmt(quantile(v, 0.5) ?? null)} / p90 ${fmt(quantile(v, 0.9) ?? null)} / max ${fmt(v[v.length - 1] ?? null)} ms (n ${v.length})`;
}

function counts<K extends string>(xs: readonly K[]): string {
  const m = new Map<K, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
}

/**
 * The cause analysis of one strategy's run: every trade's short leg against its window's rival sweep and close, the
 * path latencies (ours), and how soon rivals sweep the windows worth taking (what even a zero-latency taker faces).
 */
export function diagnoseRun(run: StrategyRun, c: MatchCriteria, endTs: number): RunDiagnosis {
  const byCid = new Map(run.orders.map((o) => [o.clientOrderId, o]));
  const trades = run.trades.map((t) => diagnoseTrade(t, byCid, run.windows, c, endTs));
  const one = trades.filter((d) => d.outcome === 'one-legged');
  const worth = run.windows.filter((w) => isWorth(w, c));
  const swept = worth.map((w) => (w.rivalSweeps?.[0] === undefined ? null : w.rivalSweeps[0].ts - w.openTs));
  const within = (ms: number): string => `${swept.filter((x) => x !== null && x <= ms).length}`;
  const summary = [
    `one-legged trades: ${one.length} of ${trades.length}; short leg ${counts(one.map((d) => `${d.shortLeg ?? '?'}@${d.shortVenue ?? '?'}`))}; cause ${counts(one.map((d) => d.cause ?? 'unknown'))}`,
    `  window open → decision ${dist(trades.map((d) => d.detectMs))}; → short leg at the sim (one-legged) ${dist(one.map((d) => (d.shortLeg === 'buy' ? d.buyArriveMs : d.sellArriveMs)))}; → first rival sweep (one-legged) ${dist(one.map((d) => d.rivalMs))}`,
    `  both-filled trades: open → later leg at the sim ${dist(trades.filter((d) => d.outcome === 'both').map((d) => maxOf(d.buyArriveMs, d.sellArriveMs)))}`,
    `  decision → orders sent ${dist(trades.map((d) => d.decideToSendMs))} (→ executor ${dist(trades.map((d) => d.busMs))}, → sent ${dist(trades.map((d) => d.acquireMs))}); sent → at the sim: buy ${dist(trades.map((d) => d.buyWireMs))}, sell ${dist(trades.map((d) => d.sellWireMs))}; leg arrival skew ${dist(trades.map((d) => d.skewMs))}`,
    `  windows worth taking: ${worth.length}, swept by a rival ${swept.filter((x) => x !== null).length} (within 10 ms of opening ${within(10)}, 20 ms ${within(20)}, 50 ms ${within(50)}, 100 ms ${within(100)}); open → first sweep ${dist(swept)}`,
  ];
  const lines = trades.map(
    (d) =>
      `${d.id} ${d.route} ${d.outcome}${d.shortLeg !== null ? ` short ${d.shortLeg}@${d.shortVenue ?? '?'} (${d.cause ?? '?'})` : ''} window #${d.windowId ?? '-'}: ms from open: decided ${fmt(d.detectMs)}, buy at sim ${fmt(d.buyArriveMs)}, sell at sim ${fmt(d.sellArriveMs)}, rival ${fmt(d.rivalMs)}, closed ${fmt(d.closeMs)} (${d.closeReason ?? '-'}); decide→sent ${fmt(d.decideToSendMs)}, wire buy ${fmt(d.buyWireMs)} sell ${fmt(d.sellWireMs)}; ${d.legs}`,
  );
  return { name: run.name, trades, summary, lines };
}

function legText(side: string, o: SimOrder | undefined, touched: string | undefined, limit: string | undefined): string {
  if (o === undefined) return `${side} not in the sim's record`;
  const px = o.avgPrice === null || o.avgPrice === undefined ? '' : ` @${o.avgPrice}`;
  return `${side} ${o.filledQty}/${o.requestedQty}${px} (touched ${touched ?? '?'}, limit ${limit ?? o.limitPrice ?? '?'})`;
}

function maxOf(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.max(a, b);
}
