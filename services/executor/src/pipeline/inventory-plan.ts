import Big from 'big.js';
import type { Opportunity } from '@arb/contracts';
import { splitSymbol } from '@arb/venues';
import type { InventoryItem, InventoryLedger, SettleItem } from '../coordination';
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

/** Per (venue, asset): the reservation to take out and the exact balance change of a trade's fills and fees. */
function settleItems(symbol: string, reservations: readonly InventoryItem[], accounts: TradeAccounts | null): SettleItem[] {
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
  return [...items.values()].map((e) => ({ venue: e.venue, asset: e.asset, reserved: plain(e.reserved), delta: plain(e.delta) }));
}

/**
 * Settles a finished trade in the ledger, exactly once over every executor (the one that traded it and one that took
 * it over may both try): each reservation is taken out and each (venue, asset) balance moves by exactly what the
 * fills and fees moved on the venue, in one script, only while the trade's reservation is still there. Resolves
 * false when it was not (already settled, or lost with Redis' data: the periodic reconciliation corrects the ledger).
 */
export async function settleInventory(
  ledger: InventoryLedger,
  symbol: string,
  reservations: readonly InventoryItem[],
  accounts: TradeAccounts | null,
  holder: string,
): Promise<boolean> {
  return ledger.settleTrade(holder, settleItems(symbol, reservations, accounts));
}

/** Applies the balance changes of a correction (fills learned after the trade was settled); no reservation involved. */
export async function settleCorrection(ledger: InventoryLedger, symbol: string, accounts: TradeAccounts): Promise<void> {
  await Promise.all(settleItems(symbol, [], accounts).map((e) => ledger.settle(e.venue, e.asset, '0', e.delta)));
}
