import { statsLines } from './final-stats.mjs';
import { duration, ms, pct, statusList, usd } from './format.mjs';

/**
 * The FINAL summary printed when the stack stops. `f`:
 * { state, mode, ranMs, reason, feeds (state.feeds() taken before the producers stopped), statusOrder,
 *   journal?: readJournal() result, journalError?: string, stats?: /stats JSON (once it has read the whole journal),
 *   statsAtStop?: /stats JSON read before the producers stopped (uptime, feeds), statsUrl?, statsError?: string,
 *   match?: compareWithJournal() result, services: { started, died: [{name, how}], unclean: [{name, how}] }, exitCode }
 */
export function renderFinal(f) {
  const { state } = f;
  const Big = state.Big;
  const lines = ['', '════════ final summary ════════', `mode ${f.mode} · ran ${(f.ranMs / 1000).toFixed(1)} s · stopped: ${f.reason}`];

  const live = f.feeds.filter((x) => x.live);
  lines.push(`feeds live: ${live.length}/${f.feeds.length}${f.feeds.length ? ` (${f.feeds.map((x) => `${x.venue} ${x.live ? 'live' : x.state}`).join(', ')})` : ' (no feed status received)'}`);
  for (const x of f.feeds) {
    const c = x.counters ?? {};
    lines.push(
      `  ${x.venue.padEnd(10)} ${x.state.padEnd(9)} ${x.symbolsLive}/${x.symbolsTotal} symbols live · ${x.liveForMs === null ? 'not live' : `live for ${duration(x.liveForMs)}`}` +
        ` · ${c.updates ?? '-'} updates · gaps ${c.gaps ?? '-'} · resyncs ${c.resyncs ?? '-'} · reconnects ${c.reconnects ?? '-'} · rejected ${c.rejected ?? '-'}`,
    );
  }

  const lat = state.opps.latency.stats();
  lines.push(`opportunities detected: ${state.opps.count} (this run, arb.opp.>) · book→opportunity p50 ${ms(lat.p50)}, p99 ${ms(lat.p99)}, max ${ms(lat.max)}`);

  const fromJournal = f.journal?.exists === true;
  const run = fromJournal ? f.journal.run : { byStatus: state.trades.byStatus, pnlUsd: state.trades.pnlUsd };
  const t = state.tradeTotals(run.byStatus);
  const source = fromJournal ? 'journal' : 'live arb.exec.>';
  lines.push(`trades executed: ${t.executed} of ${t.reports} reports${t.reports ? ` (${statusList(run.byStatus, f.statusOrder)})` : ''} [this run, ${source}]`);
  lines.push(`success rate: ${pct(t.successRate)} (filled / executed)`);
  lines.push(`PnL: ${usd(Big, run.pnlUsd)} (realized, this run)`);
  const exec = state.trades.exec.stats();
  const send = state.trades.send.stats();
  lines.push(`execution time: p50 ${ms(exec.p50)}, p99 ${ms(exec.p99)}, max ${ms(exec.max)} · detection → orders sent p50 ${ms(send.p50)}, p99 ${ms(send.p99)}`);

  if (f.journalError) lines.push(`journal ARB_EXECS: unreadable (${f.journalError})`);
  else if (!fromJournal) lines.push('journal ARB_EXECS: no such stream (nothing was journaled)');
  else {
    const j = f.journal;
    lines.push(
      `journal ARB_EXECS: up to seq ${j.lastSeq}; all runs ${j.all.reports} reports, PnL ${usd(Big, j.all.pnlUsd)}; ${j.invalid} invalid, ${j.duplicates} duplicate ids`,
    );
  }
  if (!f.statsUrl) lines.push('stats service: not running');
  else if (f.stats) {
    const o = f.stats.overall ?? {};
    lines.push(`stats service: ${o.reports} reports, net ${o.netProfitUsd} USD, success ${pct(o.successRate)}, journal seq ${f.stats.journal?.lastSeq}`);
    lines.push(...statsLines(Big, f.stats, f.statsAtStop));
  } else lines.push(`stats service: no answer (${f.statsError ?? 'unknown'})`);
  if (f.match) lines.push(`stats match journal: ${f.match.match ? 'yes' : `NO (${f.match.differences.join('; ')})`}`);
  else lines.push(`stats match journal: unknown (${!f.statsUrl ? 'no stats service' : (f.journalError ?? f.statsError ?? 'no data')})`);

  const b = state.bad;
  lines.push(`bad messages: ${b.status + b.opportunity + b.execution} (status ${b.status}, opportunity ${b.opportunity}, execution ${b.execution})`);
  const s = f.services;
  const problems = [...s.died.map((d) => `${d.name} DIED (${d.how})`), ...s.unclean.map((d) => `${d.name} did not stop cleanly (${d.how})`)];
  lines.push(`services: ${s.started} started, ${s.died.length} died${problems.length ? ` · ${problems.join(', ')}` : ', all stopped cleanly'}`);
  lines.push(`result: ${f.exitCode === 0 ? 'clean run' : 'NOT clean'} (exit ${f.exitCode})`);
  return lines;
}
