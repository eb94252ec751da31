import { VenueTimeoutError, VenueUnavailableError } from './trading-errors';

export type HttpMethod = 'GET' | 'POST' | 'DELETE' | 'PUT';

export interface TradingHttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** Request changes state (an order): a failure after sending leaves the outcome unknown. */
  readonly mutating: boolean;
  /** Safe label for messages (`POST /api/v3/order`): never the query string (it carries signatures). */
  readonly label: string;
}

export interface TradingHttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Parsed body; undefined when it is not JSON. */
  readonly json: unknown;
}

/** Socket errors that prove the request never reached the venue. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

function causeCode(err: unknown): string | null {
  let e: unknown = err;
  for (let i = 0; i < 4 && typeof e === 'object' && e !== null; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * One HTTP exchange with a venue. Resolves with any HTTP status (the caller classifies venue errors). Throws
 * VenueTimeoutError when no complete answer came in time (outcome unknown) and VenueUnavailableError on network
 * failure (`outcomeUnknown` unless the socket error proves nothing was sent).
 */
export async function tradingHttp(venue: string, req: TradingHttpRequest): Promise<TradingHttpResponse> {
  const timeout = AbortSignal.timeout(req.timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: timeout });
    text = await response.text();
  } catch (cause) {
    if (timeout.aborted) {
      throw new VenueTimeoutError(`${venue} ${req.label}: no answer within ${req.timeoutMs} ms (outcome unknown)`, {
        venue,
        timeoutMs: req.timeoutMs,
        cause,
      });
    }
    const code = causeCode(cause);
    const sent = code === null || !NOT_SENT.has(code);
    throw new VenueUnavailableError(`${venue} ${req.label}: network failure${code === null ? '' : ` (${code})`}`, {
      venue,
      code,
      cause,
      outcomeUnknown: req.mutating && sent,
    });
  }
  let json: unknown;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** `Retry-After` (seconds or an HTTP date) in ms; null when absent or unreadable. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const v = headers.get('retry-after');
  if (v === null || v.trim() === '') return null;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** The start of a body for error messages (venue error texts carry no secrets; bounded anyway). */
export function bodySample(text: string, max = 200): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}...` : t;
}
