import type { ExecutionReport } from '@arb/contracts';

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
