import { splitSymbol, type InstrumentInfo } from '@arb/venues';
import type { VenueMarkets } from '../config';

/** Paper-mode trading rules of one symbol from `markets.venues.<venue>` (symbol overrides win). */
export function paperInstrument(venue: VenueMarkets | undefined, symbol: string): InstrumentInfo {
  const o = venue?.symbols?.[symbol] ?? {};
  const pick = (k: 'minSize' | 'maxSize' | 'lotStep' | 'tick' | 'minNotional'): string | undefined => o[k] ?? venue?.[k];
  const { base, quote } = splitSymbol(symbol);
  return {
    symbol,
    venueSymbol: symbol,
    baseAsset: base,
    quoteAsset: quote,
    trading: true,
    tickSize: pick('tick') ?? '0.01',
    stepSize: pick('lotStep') ?? '0.00000001',
    minQty: pick('minSize') ?? '0',
    maxQty: pick('maxSize') ?? null,
    minNotional: pick('minNotional') ?? '0',
    maxNotional: null,
  };
}
