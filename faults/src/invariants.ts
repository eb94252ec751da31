import type { ExecutionReport, Opportunity } from '@arb/contracts';
import Big from 'big.js';
import type { SimOrder } from './sim-control';
import type { Check, Invariants } from './types';

/** The invariants as a list (report order). */
export const invariantList = (i: Invariants): Check[] => [i.journal, i.stale, i.semaphore, i.ledger, i.balances];

const list = (problems: readonly string[], max = 10): string => problems.slice(0, max).join('; ') + (problems.length > max ? `; … ${problems.length - max} more` : '');

const dec = (x: string): Big => {
  try {
    return new Big(x);
  } catch {
    return new Big(0);
  }
};

const same = (a: string, b: string): boolean => {
  try {
    return new Big(a).eq(b);
  } catch {
    return false;
  }
};

/**
 * Every journaled trade matches the simulator's fills, and nothing the venues did is missing from the journal. A
 * trade is its report plus any correcting reports (`corrects`: additive, see ExecutionReport.corrects):
 * - one report per opportunity (corrections aside), and every correction corrects a journaled report of its trade;
 * - each venue order belongs to exactly one trade, and appears at most once in its report;
 * - per venue order, the filled qty and fee summed over the trade's legs equal the venue's, and the fee asset is the
 *   venue's (an order the venue never accepted filled nothing);
 * - each venue order is final.
 */
export function journalMatchesVenues(reports: readonly ExecutionReport[], orders: readonly SimOrder[]): Check {
  const problems: string[] = [];
  const byOpp = new Map<string, number>();
  const mains = new Set<string>();
  for (const r of reports) {
    if (r.corrects !== undefined) continue;
    byOpp.set(r.oppId, (byOpp.get(r.oppId) ?? 0) + 1);
    mains.add(r.id);
  }
  for (const [opp, n] of byOpp) if (n > 1) problems.push(`opportunity ${opp} journaled ${n} times`);
  const corrections = reports.filter((r) => r.corrects !== undefined);
  for (const c of corrections) if (c.corrects === undefined || !mains.has(c.corrects) || !byOpp.has(c.oppId)) problems.push(`correction ${c.id} corrects no journaled report of ${c.oppId}`);
  const venueOrders = new Map(orders.map((o) => [`${o.venue}/${o.clientOrderId}`, o]));
  /** Per venue order: the trades it is in, its legs in main reports, and sums over every leg. */
  const journaled = new Map<string, { opps: Set<string>; inMain: number; qty: Big; fee: Big; assets: Set<string> }>();
  let legs = 0;
  for (const r of reports) {
    for (const l of r.legs) {
      legs++;
      const key = `${l.venue}/${l.clientOrderId}`;
      const j = journaled.get(key) ?? { opps: new Set<string>(), inMain: 0, qty: new Big(0), fee: new Big(0), assets: new Set<string>() };
      j.opps.add(r.oppId);
      if (r.corrects === undefined) j.inMain++;
      j.qty = j.qty.plus(dec(l.filledQty));
      j.fee = j.fee.plus(dec(l.fee));
      if (!dec(l.fee).eq(0)) j.assets.add(l.feeAsset);
      journaled.set(key, j);
    }
  }
  for (const [key, j] of journaled) {
    if (j.opps.size > 1) problems.push(`${key}: in the reports of ${j.opps.size} opportunities`);
    if (j.inMain > 1) problems.push(`${key}: in ${j.inMain} report legs`);
    const o = venueOrders.get(key);
    if (o === undefined) {
      if (!j.qty.eq(0)) problems.push(`${key}: journaled fill ${j.qty.toFixed()} the venue does not know`);
      continue;
    }
    if (!j.qty.eq(dec(o.filledQty))) problems.push(`${key}: journaled qty ${j.qty.toFixed()}, venue filled ${o.filledQty}`);
    if (!j.fee.eq(dec(o.fee))) problems.push(`${key}: journaled fee ${j.fee.toFixed()}, venue charged ${o.fee}`);
    if (!same(o.fee, '0') && [...j.assets].some((a) => a !== o.feeAsset)) problems.push(`${key}: journaled fee asset ${[...j.assets].join('+')}, venue ${o.feeAsset}`);
  }
  for (const [key, o] of venueOrders) {
    if (!journaled.has(key)) problems.push(`${key}: venue order (filled ${o.filledQty}) is in no report`);
    if (!o.final) problems.push(`${key}: still open at the venue`);
  }
  const filled = orders.filter((o) => !same(o.filledQty, '0')).length;
  const summary = `${reports.length - corrections.length} reports + ${corrections.length} corrections, ${legs} legs; ${orders.length} venue orders (${filled} with fills)`;
  return { name: 'journal = venue fills', ok: problems.length === 0, detail: problems.length === 0 ? `${summary}: all match` : `${summary}: ${list(problems)}` };
}

/** A venue account's balances (total = free + locked) per asset, as GET /control/accounts shows them. */
export type Holdings = ReadonlyMap<string, ReadonlyMap<string, Big>>;

/** One inventory ledger entry `arb:inv:<venue>:<asset>`: null when it does not exist. */
export interface LedgerEntry {
  readonly venue: string;
  readonly asset: string;
  readonly available: string | null;
  readonly reserved: string | null;
}

/**
 * The executor's inventory ledger equals the venues' balances: for each traded (venue, asset), available + reserved
 * in `arb:inv:<venue>:<asset>` = the account's free + locked.
 */
export function ledgerMatchesVenues(ledger: readonly LedgerEntry[], venues: Holdings): Check {
  const problems: string[] = [];
  for (const e of ledger) {
    const venue = venues.get(e.venue)?.get(e.asset) ?? new Big(0);
    if (e.available === null) {
      problems.push(`${e.venue} ${e.asset}: no ledger entry (venue holds ${venue.toFixed()})`);
      continue;
    }
    const booked = dec(e.available).plus(dec(e.reserved ?? '0'));
    if (!booked.eq(venue)) problems.push(`${e.venue} ${e.asset}: ledger ${booked.toFixed()} (reserved ${e.reserved ?? '0'}), venue ${venue.toFixed()} (diff ${booked.minus(venue).toFixed()})`);
  }
  return {
    name: 'inventory ledger = venue balances',
    ok: problems.length === 0,
    detail: problems.length === 0 ? `${ledger.length} ledger entries equal the venues' free + locked` : list(problems),
  };
}

/**
 * Every change of the venues' balances since `start` is in the journal, exposure included: per venue and asset the
 * balance moved by exactly the journaled fills and fees (base exactly; quote = qty × avgPrice, within `quoteTolerance`
 * per venue for the averages' rounding), and the base held over all venues moved by the sum of the reports' residuals.
 */
export function balancesMatchJournal(start: Holdings, now: Holdings, reports: readonly ExecutionReport[], quoteTolerance = '0.000001'): Check {
  const expected = new Map<string, Big>();
  const add = (venue: string, asset: string, x: Big): void => {
    const k = `${venue} ${asset}`;
    expected.set(k, (expected.get(k) ?? new Big(0)).plus(x));
  };
  const residual = new Map<string, Big>();
  const quotes = new Set<string>();
  for (const r of reports) {
    const [base, quote] = r.symbol.split('-') as [string, string];
    quotes.add(quote);
    residual.set(base, (residual.get(base) ?? new Big(0)).plus(dec(r.residualBase)));
    for (const l of r.legs) {
      const qty = dec(l.filledQty);
      const sign = l.side === 'buy' ? 1 : -1;
      if (!qty.eq(0)) {
        add(l.venue, base, qty.times(sign));
        add(l.venue, quote, qty.times(dec(l.avgPrice ?? '0')).times(-sign));
      }
      if (!dec(l.fee).eq(0) && (l.feeAsset === base || l.feeAsset === quote)) add(l.venue, l.feeAsset, dec(l.fee).neg());
    }
  }
  const problems: string[] = [];
  const keys = new Set<string>([...expected.keys()]);
  for (const [venue, assets] of now) for (const a of assets.keys()) keys.add(`${venue} ${a}`);
  const moved = (venue: string, asset: string): Big => (now.get(venue)?.get(asset) ?? new Big(0)).minus(start.get(venue)?.get(asset) ?? new Big(0));
  for (const k of keys) {
    const [venue, asset] = k.split(' ') as [string, string];
    const want = expected.get(k) ?? new Big(0);
    const got = moved(venue, asset);
    const tol = quotes.has(asset) ? dec(quoteTolerance) : new Big(0);
    if (got.minus(want).abs().gt(tol)) problems.push(`${venue} ${asset}: venue moved ${got.toFixed()}, journal says ${want.toFixed()}`);
  }
  for (const [base, r] of residual) {
    let held = new Big(0);
    for (const venue of now.keys()) held = held.plus(moved(venue, base));
    if (!held.eq(r)) problems.push(`${base} held over all venues moved ${held.toFixed()}, the reports' residuals sum to ${r.toFixed()}`);
  }
  const exposure = [...residual].map(([a, r]) => `${r.toFixed()} ${a}`).join(', ') || 'none';
  return {
    name: 'venue balances = journal (exposure included)',
    ok: problems.length === 0,
    detail: problems.length === 0 ? `every balance change since the start is journaled; exposure (sum of residuals) ${exposure}` : list(problems),
  };
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
