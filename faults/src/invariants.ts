import type { ExecutionReport, Opportunity } from '@arb/contracts';
import Big from 'big.js';
import type { SimOrder } from './sim-control';
import type { Check } from './types';

const list = (problems: readonly string[], max = 6): string => problems.slice(0, max).join('; ') + (problems.length > max ? `; … ${problems.length - max} more` : '');

const same = (a: string, b: string): boolean => {
  try {
    return new Big(a).eq(b);
  } catch {
    return false;
  }
};

/**
 * Every journaled trade matches the simulator's fills, and nothing the venues did is missing from the journal:
 * - one report per opportunity;
 * - each leg's filled qty, fee and fee asset equal the venue's order (a leg the venue never accepted filled nothing);
 * - each venue order is in exactly one report, and is final.
 */
export function journalMatchesVenues(reports: readonly ExecutionReport[], orders: readonly SimOrder[]): Check {
  const problems: string[] = [];
  const byOpp = new Map<string, number>();
  for (const r of reports) byOpp.set(r.oppId, (byOpp.get(r.oppId) ?? 0) + 1);
  for (const [opp, n] of byOpp) if (n > 1) problems.push(`opportunity ${opp} journaled ${n} times`);
  const venueOrders = new Map(orders.map((o) => [`${o.venue}/${o.clientOrderId}`, o]));
  const journaled = new Map<string, number>();
  let legs = 0;
  for (const r of reports) {
    for (const l of r.legs) {
      legs++;
      const key = `${l.venue}/${l.clientOrderId}`;
      journaled.set(key, (journaled.get(key) ?? 0) + 1);
      const o = venueOrders.get(key);
      if (o === undefined) {
        if (!same(l.filledQty, '0')) problems.push(`${key}: journaled fill ${l.filledQty} the venue does not know`);
        continue;
      }
      if (!same(l.filledQty, o.filledQty)) problems.push(`${key}: journaled qty ${l.filledQty}, venue filled ${o.filledQty}`);
      if (!same(l.fee, o.fee)) problems.push(`${key}: journaled fee ${l.fee}, venue charged ${o.fee}`);
      if (!same(o.fee, '0') && l.feeAsset !== o.feeAsset) problems.push(`${key}: journaled fee asset ${l.feeAsset}, venue ${o.feeAsset}`);
    }
  }
  for (const [key, o] of venueOrders) {
    const n = journaled.get(key) ?? 0;
    if (n === 0) problems.push(`${key}: venue order (filled ${o.filledQty}) is in no report`);
    if (n > 1) problems.push(`${key}: in ${n} report legs`);
    if (!o.final) problems.push(`${key}: still open at the venue`);
  }
  const filled = orders.filter((o) => !same(o.filledQty, '0')).length;
  const summary = `${reports.length} reports, ${legs} legs; ${orders.length} venue orders (${filled} with fills)`;
  return { name: 'journal = venue fills', ok: problems.length === 0, detail: problems.length === 0 ? `${summary}: all match` : `${summary}: ${list(problems)}` };
}

/** Age (ms) of the older of the two books an opportunity was decided on, at its detection time. */
export function decisionBookAge(o: Opportunity): number {
  return o.detectedTs - Math.min(o.books.buy.recvTs, o.books.sell.recvTs);
}

/** No opportunity was decided on a book older than `stalenessMs` (local receive time → detection time). */
export function noStaleDecisions(opps: readonly Opportunity[], stalenessMs: number): Check {
  const stale = opps.filter((o) => decisionBookAge(o) > stalenessMs);
  const maxAge = opps.reduce((m, o) => Math.max(m, decisionBookAge(o)), 0);
  const summary = `${opps.length} opportunities, oldest book at decision ${maxAge.toFixed(1)} ms (limit ${stalenessMs} ms)`;
  return {
    name: 'no decision on a stale book',
    ok: stale.length === 0,
    detail: stale.length === 0 ? summary : `${summary}: ${list(stale.map((o) => `${o.id} ${o.buy.venue}→${o.sell.venue} book age ${decisionBookAge(o).toFixed(1)} ms`))}`,
  };
}

/** The venues never saw more trades at once than the semaphore allows (`maxConcurrentTrades` of /control/trading-stats). */
export function semaphoreHeld(maxConcurrentAtVenues: number, maxLeasesSampled: number, limit: number): Check {
  const ok = maxConcurrentAtVenues <= limit && maxLeasesSampled <= limit;
  return {
    name: 'semaphore never over-committed',
    ok,
    detail: `at most ${maxConcurrentAtVenues} trades in flight at the venues, ${maxLeasesSampled} leases seen held (limit ${limit})`,
  };
}
