/**
 * Typed venue trading errors (TRADING-CONTRACT.md). Messages never contain secrets (keys, signatures, JWTs):
 * they carry only the venue, the venue's code and its (public) message.
 */
export interface VenueErrorDetails {
  venue: string;
  /** The venue's error code (Binance `code`, Coinbase `error` / `failure_reason`), null when none. */
  code?: string | number | null;
  httpStatus?: number | null;
  cause?: unknown;
}

/** Base class: every trading failure a venue client throws is one of the subclasses below. */
export class VenueError extends Error {
  override readonly name: string = 'VenueError';
  readonly venue: string;
  readonly code: string | number | null;
  readonly httpStatus: number | null;
  /** True when sending the same request again (after the condition clears) may succeed. */
  readonly retryable: boolean;
  /** True when the order request may or may not have been executed: query by clientOrderId before anything else. */
  readonly outcomeUnknown: boolean;

  constructor(message: string, details: VenueErrorDetails, retryable: boolean, outcomeUnknown = false) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.venue = details.venue;
    this.code = details.code ?? null;
    this.httpStatus = details.httpStatus ?? null;
    this.retryable = retryable;
    this.outcomeUnknown = outcomeUnknown;
  }
}

/** Order refused by the venue or by the client's own filter check (filters, insufficient balance, -1013, -2010,
 *  Coinbase failure_reason). Not retryable as is. */
export class VenueRejectError extends VenueError {
  override readonly name: string = 'VenueRejectError';
  constructor(message: string, details: VenueErrorDetails) {
    super(message, details, false);
  }
}

/** Bad signature, bad/unknown key, missing permission (-1022, -2014, -2015, 401). Not retryable. */
export class VenueAuthError extends VenueError {
  override readonly name: string = 'VenueAuthError';
  constructor(message: string, details: VenueErrorDetails) {
    super(message, details, false);
  }
}

/** Request timestamp outside the venue's window (-1021). Retryable after resyncing the time offset. */
export class ClockSkewError extends VenueError {
  override readonly name: string = 'ClockSkewError';
  constructor(message: string, details: VenueErrorDetails) {
    super(message, details, true);
  }
}

/** Too many requests (429 / -1003: retryable after `retryAfterMs`) or IP banned (418: not retryable). */
export class VenueRateLimitError extends VenueError {
  override readonly name: string = 'VenueRateLimitError';
  /** How long to wait before the next request, when known (Retry-After header or the client's limiter). */
  readonly retryAfterMs: number | null;
  /** True for an IP ban (HTTP 418). */
  readonly banned: boolean;
  constructor(message: string, details: VenueErrorDetails & { retryAfterMs?: number | null; banned?: boolean }) {
    super(message, details, details.banned !== true);
    this.retryAfterMs = details.retryAfterMs ?? null;
    this.banned = details.banned === true;
  }
}

/** Venue-side failure or unreachable venue (5xx, connection refused). Retryable. `outcomeUnknown` is true when an
 *  order request may have been executed anyway (5xx or a connection dropped after sending). */
export class VenueUnavailableError extends VenueError {
  override readonly name: string = 'VenueUnavailableError';
  constructor(message: string, details: VenueErrorDetails & { outcomeUnknown?: boolean }) {
    super(message, details, true, details.outcomeUnknown === true);
  }
}

/** No answer in time. OUTCOME UNKNOWN: never resend an order; query it by clientOrderId. */
export class VenueTimeoutError extends VenueError {
  override readonly name: string = 'VenueTimeoutError';
  readonly timeoutMs: number;
  constructor(message: string, details: VenueErrorDetails & { timeoutMs: number }) {
    super(message, details, false, true);
    this.timeoutMs = details.timeoutMs;
  }
}

/** The venue does not know the order (-2011/-2013 "order does not exist", Coinbase NOT_FOUND). */
export class OrderNotFoundError extends VenueError {
  override readonly name: string = 'OrderNotFoundError';
  constructor(message: string, details: VenueErrorDetails) {
    super(message, details, false);
  }
}

/** True when the caller must query the order before deciding anything (timeout, dropped connection, 5xx). */
export function isOutcomeUnknown(err: unknown): boolean {
  return err instanceof VenueError && err.outcomeUnknown;
}
