import Big from 'big.js';
import type { Opportunity } from '@arb/contracts';
import { splitSymbol } from '@arb/venues';
import type { InventoryItem, InventoryLedger } from '../coordination';
import { plain } from '../decimal';
import type { TradeAccounts } from '../trade/accounting';

/** What a trade sets aside before sending: quote on the buy venue (limit notional plus taker fee), base on the sell venue. */
export function reservationsFor(opp: Opportunity, buyTakerFee: string): InventoryItem[] {
  const { base, quote } = splitSymbol(opp.symbol);
  const quoteNeed = new Big(opp.size).times(opp.buy.limitPrice).times(new Big(1).plus(buyTakerFee));
  return [
    { venue: opp.buy.venue, asset: quote, amount: plain(quoteNeed) },
    { venue: opp.sell.venue, asset: base, amount: plain(new Big(opp.size)) },
  ];
}

/**
 * Settles a finished trade in the ledger: each reservation is taken out and each (venue, asset) balance moves by
 * exactly what the fills and fees moved on the venue. One call per (venue, asset), all sent at once.
 */
export async function settleInventory(
  ledger: InventoryLedger,
  symbol: string,
  reservations: readonly InventoryItem[],
  accounts: TradeAccounts | null,
  holder: string,
): Promise<void> {
  const { base, quote } = splitSymbol(symbol);
  const items = new Map<string, { venue: string; asset: string; reserved: Big; delta: Big }>();
  const at = (venue: string, asset: string) => {
    const k = `${venue}|${asset}`;
    let e = items.get(k);
    if (e === undefined) {
      e = { venue, asset, reserved: new Big(0), delta: new Big(0) };
      items.set(k, e);
    }
    return e;
  };
  for (const r of reservations) {
    const e = at(r.venue, r.asset);
    e.reserved = e.reserved.plus(r.amount);
  }
  for (const [venue, d] of accounts?.deltas ?? []) {
    if (!d.base.eq(0)) at(venue, base).delta = at(venue, base).delta.plus(d.base);
    if (!d.quote.eq(0)) at(venue, quote).delta = at(venue, quote).delta.plus(d.quote);
  }
  await Promise.all(
    [...items.values()].map((e) =>
      e.reserved.gt(0) ? ledger.settle(e.venue, e.asset, plain(e.reserved), plain(e.delta), holder) : ledger.settle(e.venue, e.asset, '0', plain(e.delta)),
    ),
  );
}
