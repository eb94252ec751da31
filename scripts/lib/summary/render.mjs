import { ANSI, clock, duration, lpad, ms, pad, pct, rate, round, statusList, usd } from './format.mjs';

/**
 * `ctx` for every renderer: { mode, statusOrder: string[] (ExecutionReport statuses in display order),
 * services(): { running, died: string[] }, logDir?: string, statsUrl?: string, stopping?: string }.
 */

function feedRows(state, color) {
  const paint = (f) => (!color ? f.state : f.live ? ANSI.green(pad(f.state, 9)) : ANSI.red(pad(f.state, 9)));
  const rows = [`${pad('FEEDS', 16)}${pad('state', 10)}${pad('symbols', 9)}${lpad('updates/s', 10)}${lpad('book age', 11)}${lpad('gaps', 6)}${lpad('resyncs', 9)}${lpad('reconnects', 12)}${lpad('rejected', 10)}`];
  const feeds = state.feeds();
  if (feeds.length === 0) rows.push('  (no md.status.* yet)');
  for (const f of feeds) {
    const c = f.counters ?? {};
    rows.push(
      `  ${pad(f.venue, 14)}${color ? `${paint(f)} ` : pad(f.state, 10)}${pad(`${f.symbolsLive}/${f.symbolsTotal}`, 9)}${lpad(rate(f.updatesPerSec), 10)}` +
        `${lpad(ms(f.maxBookAgeMs), 11)}${lpad(c.gaps ?? '-', 6)}${lpad(c.resyncs ?? '-', 9)}${lpad(c.reconnects ?? '-', 12)}${lpad(c.rejected ?? '-', 10)}`,
    );
  }
  return rows;
}

function lastOpportunity(state) {
  const o = state.opps.last;
  if (!o) return '  (none yet)';
  const ago = duration(state.now() - o.detectedTs);
  return `  last  ${o.symbol}  buy ${o.buy.venue} → sell ${o.sell.venue}  size ${o.size}  net ${o.netEdgeBps} bps  expected ${usd(state.Big, o.profitUsd, 2)}  (${ago} ago)`;
}

function statsLine(state, ctx) {
  if (!ctx.statsUrl) return `${pad('STATS SERVICE', 19)}not running`;
  const s = state.stats?.overall;
  const where = ctx.statsUrl.replace(/\/stats$/, '/');
  if (!s) return `${pad('STATS SERVICE', 19)}${where}  ${state.statsError ? `(${state.statsError})` : '(waiting)'}`;
  const up = state.stats.availability?.uptimePct;
  return (
    `${pad('STATS SERVICE', 19)}${where}  reports ${s.reports} · net ${usd(state.Big, s.netProfitUsd, 2)} · success ${pct(s.successRate)} · ` +
    `opportunities ${s.opportunities} · profit rate ${round(state.Big, s.profitRateBps, 2, true)} bps · uptime ${typeof up === 'number' ? `${up.toFixed(1)}%` : '-'}`
  );
}

/** The full-screen frame for a terminal (one string per line, no trailing newline). */
export function renderFrame(state, ctx, { color = true } = {}) {
  const now = state.now();
  const up = now - state.startedTs;
  const svc = ctx.services();
  const t = state.trades;
  const totals = state.tradeTotals();
  const lat = state.opps.latency.stats();
  const exec = t.exec.stats();
  const send = t.send.stats();
  const title = `arb-system · ${ctx.mode} · up ${duration(up)} · ${svc.running} service process(es) running${svc.died.length ? ` · DIED: ${svc.died.join(', ')}` : ''} · ${ctx.stopping ?? 'Ctrl-C stops'}`;
  const bold = color ? ANSI.bold : (s) => s;
  const lines = [
    `${bold(title)}   ${clock(Date.now())}`,
    ctx.logDir ? `service logs: ${ctx.logDir}` : '',
    '',
    ...feedRows(state, color),
    '',
    `${pad('OPPORTUNITIES', 19)}${state.opps.count} (${rate(state.opps.count / Math.max(1, up / 1000))}/s)   book→opportunity p50 ${ms(lat.p50)}  p99 ${ms(lat.p99)}  max ${ms(lat.max)}`,
    lastOpportunity(state),
    '',
    `${pad('TRADES', 19)}${totals.reports} reports, ${totals.executed} executed: ${statusList(t.byStatus, ctx.statusOrder, ' · ') || '-'}   success ${pct(totals.successRate)} (filled / executed)`,
    `  ${pad('PnL', 17)}${usd(state.Big, t.pnlUsd, 2)} (realized, this run)`,
    `  ${pad('execution', 17)}p50 ${ms(exec.p50)}  p99 ${ms(exec.p99)}   detection → orders sent p50 ${ms(send.p50)}  p99 ${ms(send.p99)}`,
    '',
    statsLine(state, ctx),
    `${pad('BAD MESSAGES', 19)}status ${state.bad.status} · opportunity ${state.bad.opportunity} · execution ${state.bad.execution}`,
    '',
    bold('EVENTS'),
    ...state.events.map((e) => `  ${clock(e.ts)}  ${e.text}`),
  ];
  return lines;
}

/** One plain log line (no escape codes) for a non-terminal output. */
export function renderLine(state, ctx) {
  const up = state.now() - state.startedTs;
  const feeds = state.feeds().map((f) => `${f.venue} ${f.state} ${rate(f.updatesPerSec)}/s`).join(', ') || 'none yet';
  const totals = state.tradeTotals();
  const lat = state.opps.latency.stats();
  const exec = state.trades.exec.stats();
  const bad = state.bad.status + state.bad.opportunity + state.bad.execution;
  const died = ctx.services().died;
  return (
    `[summary] up ${duration(up)} | feeds: ${feeds} | opportunities ${state.opps.count} (book→opp p50 ${ms(lat.p50)}) | ` +
    `trades ${totals.executed} executed of ${totals.reports}: ${statusList(state.trades.byStatus, ctx.statusOrder) || '-'} | ` +
    `success ${pct(totals.successRate)} | PnL ${usd(state.Big, state.trades.pnlUsd, 2)} | exec p50 ${ms(exec.p50)} | bad ${bad}` +
    (died.length ? ` | DIED: ${died.join(', ')}` : '')
  );
}
