import Big from 'big.js';

/** Decimal places kept when a ratio of money values is computed (averages, rates). */
export const RATIO_DP = 8;

/** Plain-notation decimal string of an exact value (never an exponent, never "-0"). */
export function dec(x: Big): string {
  const s = x.toFixed();
  return s === '-0' ? '0' : s;
}

/** `x / n` rounded half-up to RATIO_DP places, or null when n is 0. */
export function ratio(x: Big, n: Big | number): string | null {
  const d = typeof n === 'number' ? new Big(n) : n;
  if (d.eq(0)) return null;
  return dec(x.div(d).round(RATIO_DP, Big.roundHalfUp));
}

/** `BTC-USDT` → base BTC, quote USDT. */
export function splitSymbol(symbol: string): { base: string; quote: string } {
  const i = symbol.indexOf('-');
  return i < 0 ? { base: symbol, quote: '' } : { base: symbol.slice(0, i), quote: symbol.slice(i + 1) };
}

/** Adds `amount` to `map[key]`, creating the entry. */
export function addTo(map: Map<string, Big>, key: string, amount: Big): void {
  const prev = map.get(key);
  map.set(key, prev === undefined ? amount : prev.plus(amount));
}

/** A map of exact amounts as `{ key: "decimal" }`, keys sorted. */
export function decMap(map: ReadonlyMap<string, Big>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...map.keys()].sort()) out[k] = dec(map.get(k) as Big);
  return out;
}
