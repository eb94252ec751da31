/** A venue REST call failed: non-2xx status (status > 0), timeout or network error (status 0), or a non-JSON body. */
export class VenueHttpError extends Error {
  override readonly name = 'VenueHttpError';
  constructor(
    message: string,
    readonly url: string,
    /** HTTP status; 0 when no response arrived (timeout, connection refused). */
    readonly status: number,
    /** The start of the response body, when there was one. */
    readonly body: string = '',
    /** Seconds from a `Retry-After` header, when present. */
    readonly retryAfterSec: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True for responses that mean "slow down" (Binance 429/418, Coinbase 429). */
  get isRateLimit(): boolean {
    return this.status === 429 || this.status === 418;
  }
}

export interface GetJsonOptions {
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborts the request from outside (e.g. on stop). */
  readonly signal?: AbortSignal;
}

const MAX_ERROR_BODY = 500;

/** GET a URL and parse its JSON body. Throws VenueHttpError on any failure; the result is unvalidated `unknown`. */
export async function getJson(url: string, options: GetJsonOptions = {}): Promise<unknown> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { method: 'GET', headers: { accept: 'application/json', ...options.headers }, signal });
    text = await response.text();
  } catch (cause) {
    const what = timeout.aborted ? 'timed out' : options.signal?.aborted ? 'aborted' : 'failed';
    throw new VenueHttpError(`GET ${url} ${what}`, url, 0, '', null, { cause });
  }
  if (!response.ok) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new VenueHttpError(
      `GET ${url} → HTTP ${response.status}`,
      url,
      response.status,
      text.slice(0, MAX_ERROR_BODY),
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new VenueHttpError(`GET ${url}: body is not JSON`, url, response.status, text.slice(0, MAX_ERROR_BODY), null, { cause });
  }
}
