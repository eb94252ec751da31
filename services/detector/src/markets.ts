import Big from 'big.js';
import type { MarketRules, MarketsSection } from './config';

/** Fees and instrument rules of one (venue, symbol), every field resolved (decimal strings). */
export interface Market {
  readonly venue: string;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly takerFee: string;
  readonly minSize: string;
  readonly maxSize: string;
  readonly lotStep: string;
  readonly tick: string;
  readonly minNotional: string;
}

const FIELDS = ['takerFee', 'minSize', 'maxSize', 'lotStep', 'tick', 'minNotional'] as const;

/** A market that is configured but misses a required field after resolution. */
export class MarketConfigError extends Error {
  override readonly name = 'MarketConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** `BTC-USDT` → { base: 'BTC', quote: 'USDT' }. */
export function splitSymbol(symbol: string): { base: string; quote: string } {
  const i = symbol.indexOf('-');
  return { base: symbol.slice(0, i), quote: symbol.slice(i + 1) };
}

/**
 * Resolves each field of a (venue, symbol) market: symbol override → venue value → `markets.defaults` (symbol
 * override, then its venue-level value). Resolved markets (and configuration errors) are cached: lookups are O(1).
 */
export class MarketTable {
  private readonly cache = new Map<string, Market | MarketConfigError>();

  constructor(private readonly section: MarketsSection) {}

  /** The market, or null when the venue is not configured (and there are no defaults) or a field is missing. */
  get(venue: string, symbol: string): Market | null {
    const r = this.lookup(venue, symbol);
    return r instanceof MarketConfigError ? null : r;
  }

  /** Like `get` but throws MarketConfigError naming the missing fields (null only for unconfigured venues). */
  require(venue: string, symbol: string): Market | null {
    const r = this.lookup(venue, symbol);
    if (r instanceof MarketConfigError) throw r;
    return r;
  }

  /** Every configured venue name. */
  venues(): string[] {
    return Object.keys(this.section.venues);
  }

  /** Checks every configured venue for each symbol (and each symbol override): throws on the first gap. */
  validate(symbols: readonly string[]): void {
    for (const [venue, v] of Object.entries(this.section.venues)) {
      for (const symbol of new Set([...symbols, ...Object.keys(v.symbols ?? {})])) this.require(venue, symbol);
    }
  }

  private lookup(venue: string, symbol: string): Market | MarketConfigError | null {
    const key = `${venue}|${symbol}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const r = this.resolve(venue, symbol);
    // Unconfigured venues are not cached: names from the bus must not grow this map without bound.
    if (r !== null) this.cache.set(key, r);
    return r;
  }

  private resolve(venue: string, symbol: string): Market | MarketConfigError | null {
    const v = this.section.venues[venue];
    const d = this.section.defaults;
    if (v === undefined && d === undefined) return null;
    const layers: Array<MarketRules | undefined> = [v?.symbols?.[symbol], v, d?.symbols?.[symbol], d];
    const out: Record<string, string> = {};
    const missing: string[] = [];
    for (const f of FIELDS) {
      const found = layers.find((l) => l?.[f] !== undefined)?.[f];
      if (found === undefined) missing.push(f);
      else out[f] = found;
    }
    if (missing.length > 0) {
      return new MarketConfigError(`markets: ${venue} ${symbol} has no ${missing.join(', ')} (set it on the venue, the symbol or markets.defaults)`);
    }
    const m = out as Record<(typeof FIELDS)[number], string>;
    const problems: string[] = [];
    if (new Big(m.lotStep).lte(0)) problems.push(`lotStep ${m.lotStep} must be > 0`);
    if (new Big(m.tick).lte(0)) problems.push(`tick ${m.tick} must be > 0`);
    if (new Big(m.takerFee).gte(1)) problems.push(`takerFee ${m.takerFee} must be < 1`);
    if (new Big(m.minSize).gt(m.maxSize)) problems.push(`minSize ${m.minSize} > maxSize ${m.maxSize}`);
    if (problems.length > 0) return new MarketConfigError(`markets: ${venue} ${symbol}: ${problems.join('; ')}`);
    const { base, quote } = splitSymbol(symbol);
    return { venue, symbol, base, quote, ...m };
  }
}
