import { lpad, ms, pad, pct, round } from './format.mjs';

/** Rows per scope kind in the final summary's table (the busiest first); /stats has them all. */
export const MAX_SCOPE_ROWS = 8;

const KINDS = [
  ['venue', 'venues'],
  ['route', 'routes'],
  ['symbol', 'symbols'],
  ['variant', 'variants'],
];

const seconds = (msValue) => `${(msValue / 1000).toFixed(1)} s`;

/**
 * The seed's trading statistics (MicroArbitrageStats) from the stats service's /stats: `final` read once it has the
 * whole journal (trades and money: every run kept in the journal; opportunities: since the stats service started),
 * `atStop` read just before the producers were stopped (trading uptime and feeds, so the shutdown itself does not
 * count as downtime; `final` when absent). Money is rounded here, for display only.
 */
export function statsLines(Big, final, atStop) {
  const o = final.overall ?? {};
  const live = atStop ?? final;
  const money = (v) => round(Big, v, 2, true);
  const usdOf = (v) => (v === null || v === undefined ? '-' : `${money(v)} USD`);
  const bpsOf = (v) => (v === null || v === undefined ? '-' : `${money(v)} bps`);
  const lines = [
    `  opportunities ${o.opportunities} · executed ${o.executed}: successful ${o.successful}, partial ${o.partial}, recovered ${o.recovered}, failed ${o.failed} · success rate ${pct(o.successRate)}`,
    `  volume ${round(Big, o.volumeUsd)} USD · gross profit ${money(o.grossProfitUsd)} USD · fees ${round(Big, o.feesUsd)} USD · net profit ${money(o.netProfitUsd)} USD`,
    `  avg profit ${usdOf(o.avgProfitPerTradeUsd)} per executed trade, ${usdOf(o.avgProfitPerSuccessfulTradeUsd)} per successful trade · ` +
      `profit rate ${bpsOf(o.profitRateBps)} of volume · ${usdOf(o.profitPerHourUsd)} per hour`,
    `  avg execution ${ms(o.avgExecutionMs)} · residual exposure ${usdOf(o.residualUsd)}`,
  ];
  const a = live.availability;
  if (a) {
    const b = a.blockedMs ?? {};
    lines.push(
      `  uptime ${a.uptimePct === null ? '-' : `${a.uptimePct.toFixed(1)}%`}: trading possible ${seconds(a.tradingMs)} of ${seconds(a.observedMs)} observed ` +
        `(blocked by feeds ${seconds(b.feeds ?? 0)}, executor ${seconds(b.executor ?? 0)}, kill switch ${seconds(b.killSwitch ?? 0)})`,
    );
  }
  const f = live.feeds;
  if (f) {
    lines.push(
      `  monitored: ${f.venuesMonitored} venues (${f.venuesLive} live), ${f.pairsMonitored} pairs on 2+ venues (${f.pairsLive} live), ` +
        `${f.venueSymbolsMonitored} venue·symbol feeds (${f.venueSymbolsLive} live)`,
    );
  }
  return [...lines, ...scopeTable(Big, final)];
}

/** Per venue, route, symbol and variant: executed, success rate, volume, net profit, profit rate. */
function scopeTable(Big, final) {
  const rows = [];
  for (const [kind, key] of KINDS) {
    const entries = Object.entries(final[key] ?? {}).sort(([, x], [, y]) => y.executed - x.executed);
    for (const [name, s] of entries.slice(0, MAX_SCOPE_ROWS)) rows.push([`${kind} ${name}`, s]);
    if (entries.length > MAX_SCOPE_ROWS) rows.push([`${kind} … ${entries.length - MAX_SCOPE_ROWS} more`, null]);
  }
  if (rows.length === 0) return [];
  const width = Math.max(5, ...rows.map(([name]) => name.length)) + 2;
  const head = `  ${pad('scope', width)}${lpad('executed', 9)}${lpad('success', 9)}${lpad('volume USD', 14)}${lpad('net USD', 11)}${lpad('profit bps', 12)}`;
  return [
    head,
    ...rows.map(([name, s]) =>
      s === null
        ? `  ${name}`
        : `  ${pad(name, width)}${lpad(s.executed, 9)}${lpad(pct(s.successRate), 9)}${lpad(round(Big, s.volumeUsd), 14)}` +
          `${lpad(round(Big, s.netProfitUsd, 2, true), 11)}${lpad(round(Big, s.profitRateBps, 2, true), 12)}`,
    ),
  ];
}
