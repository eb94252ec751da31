import type { ExecutionReport } from '@arb/contracts';
import Big from 'big.js';
import type { FaultContext, Venue } from '../context';
import { now } from '../recorder';
import type { Check } from '../types';
import { waitFor } from '../wait';

/** The error's class and the venue's own code/message (the last `: ` part), without the request line. */
function shortError(e: string): string {
  const cls = /^[A-Za-z]+Error/.exec(e)?.[0] ?? 'error';
  const tail = e.split(': ').pop() ?? '';
  return `${cls}: ${tail.slice(0, 60)}`;
}

/** One line per leg: role, venue, status, filled qty (and the error when the venue refused or did not answer). */
export function legsText(r: ExecutionReport): string {
  return r.legs.map((l) => `${l.role} ${l.venue} ${l.status} ${l.filledQty}${l.error !== undefined ? ` (${shortError(l.error)})` : ''}`).join('; ');
}

/** Report statuses per symbol, counted: `BTC-USDT 1 filled, 12 skipped; ETH-USDT 1 hedged`. */
export function statusCounts(reports: readonly ExecutionReport[]): string {
  const by = new Map<string, Map<string, number>>();
  for (const r of reports) {
    const m = by.get(r.symbol) ?? new Map<string, number>();
    m.set(r.status, (m.get(r.status) ?? 0) + 1);
    by.set(r.symbol, m);
  }
  return [...by].map(([sym, m]) => `${sym} ${[...m].map(([st, n]) => `${n} ${st}`).join(', ')}`).join('; ');
}

/**
 * What a closed position may keep besides the taker fees charged in the base asset (Binance charges the asset
 * received; the executor's leg imbalance counts fills, not fees): a remainder below one lot step (0.00001 BTC on
 * Binance), well under 1 USD at these prices.
 */
export const DUST_USD = 1;

/** Base-asset fees the report's legs paid (e.g. BTC charged on a Binance buy of BTC-USDT). */
export function baseFees(r: ExecutionReport): Big {
  const base = r.symbol.split('-')[0] ?? '';
  return r.legs.reduce((acc, l) => (l.feeAsset === base ? acc.plus(l.fee) : acc), new Big(0));
}

/**
 * The report's position is closed: what is left is its base-asset fees plus dust (at most DUST_USD). The fees are
 * allowed in base units, not USD: they grow with the trade's size, the lot remainder does not.
 */
export function positionClosed(reports: readonly ExecutionReport[]): Check {
  const left = reports.map((r) => {
    const residual = new Big(r.residualBase).abs();
    const fees = baseFees(r);
    const beyondFees = residual.gt(fees) ? residual.minus(fees) : new Big(0);
    const usdPerBase = residual.gt(0) ? new Big(r.residualUsd).abs().div(residual) : new Big(0);
    return { r, fees, usd: beyondFees.times(usdPerBase) };
  });
  return {
    name: 'position closed',
    ok: reports.length > 0 && left.every((x) => x.usd.lte(DUST_USD)),
    detail:
      left
        .map(({ r, fees, usd }) => `${r.status}: residual ${r.residualBase} ${r.symbol.split('-')[0] ?? ''} (${r.residualUsd} USD; base fees ${fees.toFixed()}, beyond them ${usd.toFixed(2)} USD), realized ${r.realizedPnlUsd} USD`)
        .join('; ') + ` (dust limit ${DUST_USD} USD beyond base-asset fees)`,
  };
}

/**
 * With `venue`'s trading faults set to `faults`, opens a window (Binance BTC-USDT +30 bps: buy Coinbase, sell
 * Binance) and waits for the first report with orders; the faults are reset in any case. `ms` = jump → report.
 */
export async function tradeUnder(ctx: FaultContext, venue: Venue, faults: Readonly<Record<string, number | boolean>>, timeoutMs: number): Promise<{ report: ExecutionReport; ms: number }> {
  await ctx.sim.tradingFaults(venue, faults);
  const t0 = now();
  try {
    await ctx.sim.dislocate('BTC-USDT', 'binance', 30, 2500);
    // Only a trade of this window: one still running from an earlier window (sent before the faults) does not count.
    const ofThisWindow = (oppId: string): boolean => ctx.recorder.opportunities.some((o) => o.msg.id === oppId && o.msg.detectedTs >= t0);
    const report = await waitFor(`a trade journaled with ${venue} faults ${JSON.stringify(faults)}`, () => ctx.recorder.reportsSince(t0).find((r) => r.legs.length > 0 && ofThisWindow(r.oppId)), timeoutMs);
    return { report, ms: now() - t0 };
  } finally {
    await ctx.sim.resetTradingFaults(venue);
  }
}
