import type { RateCost, RateLimiter } from './rate-limiter';
import { VenueRateLimitError } from './trading-errors';

/**
 * Takes a request's cost from the client-side limiter, waiting at most `maxWaitMs`; when the wait would be longer
 * the request is not sent and a VenueRateLimitError says when to retry.
 */
export async function takeOrReject(limiter: RateLimiter, cost: RateCost, maxWaitMs: number, venue: string, label: string): Promise<void> {
  const wait = await limiter.take(cost, maxWaitMs);
  if (wait > 0) {
    throw new VenueRateLimitError(`${venue} ${label}: client-side rate limit, retry in ${Math.ceil(wait)} ms (not sent)`, {
      venue,
      code: 'CLIENT_RATE_LIMIT',
      retryAfterMs: Number.isFinite(wait) ? wait : null,
    });
  }
}
