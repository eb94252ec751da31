import Big from 'big.js';

/** A ccxt number or a wire decimal string as an exact decimal (ccxt's numbers print their shortest exact form). */
export function dec(v: number | string | undefined | null): Big | null {
  if (v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v))) return null;
  try {
    return new Big(typeof v === 'number' ? String(v) : v);
  } catch {
    return null;
  }
}

/**
 * Equal values (undefined/null never equal anything). Two decimal strings must be equal exactly; when one side is a
 * ccxt number, the other must parse to the very same double (ccxt carries amounts as JS numbers, so a 17-digit
 * balance like 1536613.7001336609 arrives as its nearest double).
 */
export function sameDec(a: number | string | undefined | null, b: number | string | undefined | null): boolean {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = Number(a);
    return a !== undefined && a !== null && b !== undefined && b !== null && Number.isFinite(x) && x === Number(b);
  }
  const x = dec(a);
  const y = dec(b);
  return x !== null && y !== null && x.eq(y);
}

/**
 * Equal within a relative 1e-9: for values ccxt computes itself in floating point (cost, average), which can carry
 * a last-digit error against the venue's exact figure.
 */
export function closeDec(a: number | string | undefined | null, b: number | string | undefined | null): boolean {
  const x = dec(a);
  const y = dec(b);
  if (x === null || y === null) return false;
  if (x.eq(y)) return true;
  return x.minus(y).abs().lte(y.abs().times('1e-9'));
}

/** A level list as canonical decimal strings (`[price, size]`), for equality of books from different sources. */
export function canonicalLevels(levels: ReadonlyArray<readonly [number | string, number | string]>, n: number): string {
  return levels
    .slice(0, n)
    .map(([p, s]) => `${dec(p)?.toFixed() ?? '?'}@${dec(s)?.toFixed() ?? '?'}`)
    .join(' ');
}

/** A price on the instrument's tick grid (tick 0.01): rounded down. */
export function onTick(price: number, tick = '0.01', mode: 'down' | 'up' = 'down'): number {
  const t = new Big(tick);
  return Number(new Big(String(price)).div(t).round(0, mode === 'down' ? Big.roundDown : Big.roundUp).times(t).toFixed());
}
