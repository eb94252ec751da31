import Big from 'big.js';

/** Returns the current mid of a `BASE-QUOTE` market as an exact decimal (e.g. from the detector's latest books), or null. */
export type MidLookup = (symbol: string) => Big | string | null;

export interface UsdValuerOptions {
  /** Assets worth a fixed number of USD; default { USD: '1', USDT: '1', USDC: '1' }. */
  readonly pegs?: Readonly<Record<string, string>>;
  /** Live conversion mids, tried through each pegged asset: `ASSET-PEG` (direct) then `PEG-ASSET` (inverse). */
  readonly mids?: MidLookup;
  /** Decimals kept by an inverse rate (1 / mid); default 18. */
  readonly inverseDp?: number;
}

export const DEFAULT_USD_PEGS: Readonly<Record<string, string>> = Object.freeze({ USD: '1', USDT: '1', USDC: '1' });

/**
 * Values an amount of any asset in USD: a pegged asset directly; otherwise through a live conversion market against
 * a pegged asset, e.g. a profit in BTC (ETH-BTC) × mid(BTC-USDT) × peg(USDT). Pure apart from calling `mids`.
 * The result is exact given the mid (a mid is the average of two exact prices); unknown assets give null.
 */
export class UsdValuer {
  private readonly pegs: ReadonlyMap<string, Big>;
  private readonly mids: MidLookup | undefined;
  private readonly inverseDp: number;

  constructor(opts: UsdValuerOptions = {}) {
    this.pegs = new Map(Object.entries(opts.pegs ?? DEFAULT_USD_PEGS).map(([k, v]) => [k, new Big(v)]));
    this.mids = opts.mids;
    this.inverseDp = opts.inverseDp ?? 18;
  }

  /** USD per one unit of `asset`, or null when neither a peg nor a conversion market is known. */
  rate(asset: string): Big | null {
    const peg = this.pegs.get(asset);
    if (peg !== undefined) return peg;
    if (this.mids === undefined) return null;
    for (const [pegAsset, pegRate] of this.pegs) {
      const direct = toBig(this.mids(`${asset}-${pegAsset}`));
      if (direct !== null) return direct.times(pegRate);
      const inverse = toBig(this.mids(`${pegAsset}-${asset}`));
      if (inverse !== null) return pegRate.div(inverse).round(this.inverseDp, Big.roundHalfEven);
    }
    return null;
  }

  /** `amount` of `asset` in USD, or null when the asset cannot be valued. */
  toUsd(amount: Big, asset: string): Big | null {
    const r = this.rate(asset);
    return r === null ? null : amount.times(r);
  }
}

function toBig(x: Big | string | null): Big | null {
  if (x === null) return null;
  try {
    const b = typeof x === 'string' ? new Big(x) : x;
    return b.gt(0) ? b : null;
  } catch {
    return null;
  }
}

/** Exact mid of a book's best bid and ask strings: (bid + ask) / 2 (exact: halving a decimal terminates). */
export function exactMid(bestBid: string, bestAsk: string): Big {
  return new Big(bestBid).plus(bestAsk).div(2);
}
