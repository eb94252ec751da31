import Big from 'big.js';
import type { ShippedParams } from './params';
import { floorStep, hummingbotRule, r2Rule, type BaselineRule } from './rules';

/** A baseline: its rule, how it sizes, where its books come from. */
export interface BaselineSpec {
  readonly name: string;
  readonly label: string;
  /** Client order id prefix. */
  readonly prefix: string;
  readonly rule: BaselineRule;
  readonly source: { readonly kind: 'ws' } | { readonly kind: 'poll'; readonly intervalMs: number };
  readonly sizeCap: (symbol: string, bestAsk: Big) => Big;
  /** The parameters, printed with the table. */
  readonly params: string;
}

/** The three baselines, parameterized from the shipped config so they differ from ours only in their rule. */
export function baselineSpecs(p: ShippedParams): BaselineSpec[] {
  const cap = new Big(p.riskLimitPerTrade);
  const fixed = (symbol: string): Big => floorStep(cap.div(p.startPrices[symbol] ?? '1'), new Big(p.lotSteps[symbol] ?? '0.00000001'));
  const notionalCap = (_symbol: string, bestAsk: Big): Big => cap.div(bestAsk);
  const common = `min profit ${p.minProfitPct} % of the buy notional and ${p.minProfitUsd} quote, taker fees binance ${p.fees.binance} / coinbase ${p.fees.coinbase}, inventory as the detector's (inventory.balances), one trade per route in flight, both legs IOC at once`;
  const sizes = Object.keys(p.startPrices)
    .map((s) => `${s} ${fixed(s).toString()}`)
    .join(', ');
  return [
    {
      name: 'hummingbot-like (fixed size, VWAP)',
      label: 'hummingbot',
      prefix: 'hb',
      rule: hummingbotRule,
      source: { kind: 'ws' },
      sizeCap: fixed,
      params: `fixed order amount ${sizes} (riskLimitPerTrade ${p.riskLimitPerTrade} / start price); profitability at the VWAP of that amount on both websocket books; limits at the worst level it touches; ${common}`,
    },
    {
      name: 'r2-like (top of book)',
      label: 'r2',
      prefix: 'r2',
      rule: r2Rule,
      source: { kind: 'ws' },
      sizeCap: notionalCap,
      params: `volume min(best ask qty, best bid qty, ${p.riskLimitPerTrade} quote / ask) on websocket books; limits at the two top prices; ${common}`,
    },
    {
      name: '1 s REST poller (top of book)',
      label: 'poller',
      prefix: 'po',
      rule: r2Rule,
      source: { kind: 'poll', intervalMs: 1000 },
      sizeCap: notionalCap,
      params: `GET both venues' books (depth 5) every 1000 ms; top-of-book volume and limits as r2-like; ${common}`,
    },
  ];
}
