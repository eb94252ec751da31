import Big from 'big.js';
import type { InstrumentConfig, SymbolConfig } from '../config/schema';
import { SimConfigError } from '../config/errors';
import { decimalsOf, toScaledInt } from './scaled';

/** One symbol on one venue, resolved to integer units for the model and exact strings for the wire. */
export interface Instrument {
  /** Normalized symbol, e.g. BTC-USDT. */
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: string;
  readonly stepSize: string;
  readonly minQty: string;
  readonly maxQty: string;
  readonly minNotional: string;
  readonly maxNotional: string;
  /** Tick as a float: only to map a float mid onto the tick grid. */
  readonly tickValue: number;
  /** price string = formatScaled(ticks * tickUnits, priceDecimals). */
  readonly priceDecimals: number;
  readonly tickUnits: number;
  /** size string = formatScaled(lots * lotUnits, sizeDecimals). */
  readonly sizeDecimals: number;
  readonly lotUnits: number;
  /** Typical level size in lots. */
  readonly levelLots: number;
}

export interface VenueDisplay {
  priceDecimals?: number | undefined;
  sizeDecimals: number;
}

/** Rules for a symbol the config does not describe: ~7 significant price digits, a step worth ~1-10 quote. */
export function deriveInstrument(startPrice: string): InstrumentConfig {
  const magnitude = Math.floor(Math.log10(Number(startPrice)));
  const tickExp = Math.min(magnitude - 6, 0);
  const stepExp = Math.max(Math.min(magnitude, 8), 0);
  return {
    tickSize: new Big(10).pow(tickExp).toFixed(Math.max(-tickExp, 0)),
    stepSize: new Big(10).pow(-stepExp).toFixed(stepExp),
    levelSize: new Big(10).pow(-stepExp).times(1000).toFixed(stepExp),
  };
}

export function resolveInstrument(sym: SymbolConfig, cfg: InstrumentConfig, display: VenueDisplay): Instrument {
  const [base, quote] = sym.symbol.split('-') as [string, string];
  const tickDecimals = decimalsOf(cfg.tickSize);
  const priceDecimals = display.priceDecimals ?? tickDecimals;
  const sizeDecimals = Math.max(display.sizeDecimals, decimalsOf(cfg.stepSize));
  if (priceDecimals < tickDecimals) {
    throw new SimConfigError(`${sym.symbol}: priceDecimals ${priceDecimals} < decimals of tickSize ${cfg.tickSize}`);
  }
  try {
    const tickUnits = toScaledInt(cfg.tickSize, priceDecimals);
    const lotUnits = toScaledInt(cfg.stepSize, sizeDecimals);
    if (tickUnits <= 0 || lotUnits <= 0) throw new RangeError('tickSize and stepSize must be > 0');
    const levelLots = Math.max(1, Math.round(Number(new Big(cfg.levelSize).div(cfg.stepSize).toFixed(0))));
    return {
      symbol: sym.symbol,
      base,
      quote,
      tickSize: cfg.tickSize,
      stepSize: cfg.stepSize,
      minQty: cfg.minQty ?? cfg.stepSize,
      maxQty: cfg.maxQty ?? '9000',
      minNotional: cfg.minNotional ?? '1',
      maxNotional: cfg.maxNotional ?? '9000000',
      tickValue: Number(cfg.tickSize),
      priceDecimals,
      tickUnits,
      sizeDecimals,
      lotUnits,
      levelLots,
    };
  } catch (cause) {
    throw new SimConfigError(`${sym.symbol}: ${(cause as Error).message}`, { cause });
  }
}
