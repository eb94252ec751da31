import type { CcxtBalance, CcxtBalanceEntry, CcxtOrder, CcxtVenue } from '../ccxt';
import type { SimBalance, SimControl, SimOrder } from '../control';
import { closeDec, dec, sameDec } from '../decimals';
import { CheckFailure } from './failure';

/** The ccxt statuses a sim order status may show as. */
const CCXT_STATUS: Record<string, readonly string[]> = {
  new: ['open'],
  partially_filled: ['open'],
  filled: ['closed'],
  canceled: ['canceled'],
  expired: ['expired', 'canceled'],
  rejected: ['rejected'],
};

/** The simulator's record of a venue order id (fails the check when it has none). */
export async function simOrder(control: SimControl, venue: CcxtVenue, id: string): Promise<SimOrder> {
  const o = await control.order(venue, id);
  if (!o) throw new CheckFailure(`the simulator has no order ${id}`);
  return o;
}

/**
 * ccxt's view of an order agrees with the simulator's record: status, side, filled, average, cost, price (limit
 * orders), fee (when ccxt reports one). Returns a short summary.
 */
export function agreeOrder(o: CcxtOrder, s: SimOrder): string {
  const bad: string[] = [];
  const allowed = CCXT_STATUS[s.status] ?? [];
  if (!allowed.includes(o.status ?? '')) bad.push(`status ${String(o.status)} (sim ${s.status})`);
  if (o.side !== undefined && o.side !== s.side) bad.push(`side ${o.side} (sim ${s.side})`);
  if (!sameDec(o.filled, s.filledQty)) bad.push(`filled ${String(o.filled)} (sim ${s.filledQty})`);
  if (dec(s.filledQty)?.gt(0) === true) {
    if (!closeDec(o.average, s.avgPrice)) bad.push(`average ${String(o.average)} (sim ${String(s.avgPrice)})`);
    if (!closeDec(o.cost, s.filledQuote)) bad.push(`cost ${String(o.cost)} (sim ${s.filledQuote})`);
  }
  if (s.type !== 'market' && o.price !== undefined && !sameDec(o.price, s.limitPrice)) bad.push(`price ${String(o.price)} (sim ${String(s.limitPrice)})`);
  if (o.fee?.cost !== undefined && !sameDec(o.fee.cost, s.fee)) bad.push(`fee ${String(o.fee.cost)} (sim ${s.fee})`);
  if (bad.length > 0) throw new CheckFailure(`order ${o.id} disagrees with the simulator: ${bad.join(', ')}`);
  return `${s.type} ${s.timeInForce} ${s.side} ${s.status}, filled ${s.filledQty}${dec(s.filledQty)?.gt(0) === true ? ` @ ${String(s.avgPrice)}` : ''}`;
}

/** What ccxt reports of a balance. */
function entry(b: CcxtBalance, asset: string): CcxtBalanceEntry {
  const e = b[asset];
  return typeof e === 'object' && e !== null ? (e as CcxtBalanceEntry) : {};
}

/**
 * ccxt's balances agree with the simulator's (free, used = locked, total = free + locked) for `assets`; `totalOnly`
 * for a balance ccxt builds from totals only (Coinbase v2 accounts: ccxt sets free = total).
 */
export function agreeBalances(b: CcxtBalance, sim: readonly SimBalance[], assets: readonly string[], totalOnly = false): string {
  const bad: string[] = [];
  for (const asset of assets) {
    const s = sim.find((x) => x.asset === asset) ?? { asset, free: '0', locked: '0' };
    const e = entry(b, asset);
    const total = (dec(s.free) ?? dec(0))?.plus(s.locked).toFixed();
    if (!sameDec(e.total, total)) bad.push(`${asset} total ${String(e.total)} (sim ${total})`);
    if (!totalOnly && !sameDec(e.free, s.free)) bad.push(`${asset} free ${String(e.free)} (sim ${s.free})`);
    if (!totalOnly && !sameDec(e.used ?? 0, s.locked)) bad.push(`${asset} used ${String(e.used)} (sim ${s.locked})`);
  }
  if (bad.length > 0) throw new CheckFailure(`balances disagree with the simulator: ${bad.join(', ')}`);
  return assets.map((a) => `${a} ${String(entry(b, a).total)}`).join(', ');
}
