import { Type, type Static } from '@sinclair/typebox';

/** Signed decimal string, plain notation only: no exponent, no NaN/Infinity, no leading '+'. */
export const DECIMAL_PATTERN = '^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$';
/** Non-negative decimal string. */
export const UDECIMAL_PATTERN = '^(0|[1-9][0-9]*)(\\.[0-9]+)?$';

export const Decimal = Type.String({ pattern: DECIMAL_PATTERN, maxLength: 64, $id: 'Decimal' });
export const UDecimal = Type.String({ pattern: UDECIMAL_PATTERN, maxLength: 64, $id: 'UDecimal' });
export type Decimal = Static<typeof Decimal>;

/** Venue id: lowercase token, used in subjects and keys (`binance`, `coinbase`). */
export const VENUE_PATTERN = '^[a-z][a-z0-9]{1,23}$';
export const VenueId = Type.String({ pattern: VENUE_PATTERN });
/** Normalized symbol `BASE-QUOTE`, uppercase (`BTC-USDT`). */
export const SYMBOL_PATTERN = '^[A-Z0-9]{2,12}-[A-Z0-9]{2,12}$';
export const SymbolId = Type.String({ pattern: SYMBOL_PATTERN });

/** Epoch milliseconds; local times carry a sub-millisecond fraction. */
export const EpochMs = Type.Number({ minimum: 0 });
export const Count = Type.Integer({ minimum: 0 });

/** One price level `[price, size]`, both decimal strings. */
export const Level = Type.Tuple([UDecimal, UDecimal]);
export type Level = Static<typeof Level>;
