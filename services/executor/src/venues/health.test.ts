import { VenueAuthError, VenueRateLimitError, VenueRejectError, VenueTimeoutError, VenueUnavailableError } from '@arb/venues';
import { VenueHealth, type VenueHealthSettings } from './health';

const S: VenueHealthSettings = { rateLimitPauseMs: 1000, banPauseMs: 60_000, maxConsecutiveRejects: 3, rejectPauseMs: 5000, maxRejectPauseMs: 12_000, streamDownMs: 2000 };
const T0 = 1_000_000;
const v = 'binance';
const ok = (order = true) => ({ kind: 'ok' as const, order });
const fail = (error: unknown, order = true) => ({ kind: 'error' as const, order, error });

describe('VenueHealth', () => {
  it('a ban pauses the venue for its Retry-After, then until an authenticated read succeeds', () => {
    const h = new VenueHealth(v, S, T0, false);
    expect(h.unavailable(T0)).toBeNull();
    h.observe(fail(new VenueRateLimitError('418', { venue: v, httpStatus: 418, banned: true, retryAfterMs: 20_000 })), T0);
    expect(h.unavailable(T0 + 1)).toMatchObject({ reason: 'banned' });
    expect(h.probeDue(T0 + 19_000)).toBe(false);
    // The client's own limiter refusing while the ban lasts does not turn it into a plain rate limit.
    h.observe(fail(new VenueRateLimitError('local', { venue: v, code: 'CLIENT_RATE_LIMIT', retryAfterMs: 15_000 })), T0 + 5000);
    expect(h.unavailable(T0 + 19_000)).toMatchObject({ reason: 'banned' });
    // Retry-After over: still unavailable until the probe (an authenticated read) succeeds.
    expect(h.unavailable(T0 + 20_001)).toMatchObject({ reason: 'banned', detail: expect.stringContaining('waiting for an authenticated read') });
    expect(h.probeDue(T0 + 20_001)).toBe(true);
    h.observe(ok(false), T0 + 20_002);
    expect(h.unavailable(T0 + 20_003)).toBeNull();
  });

  it('a 429 without Retry-After pauses for the default; a success during the pause does not end it', () => {
    const h = new VenueHealth(v, S, T0, false);
    h.observe(fail(new VenueRateLimitError('429', { venue: v, httpStatus: 429 })), T0);
    h.observe(ok(false), T0 + 500);
    expect(h.unavailable(T0 + 999)).toMatchObject({ reason: 'rate-limited' });
    expect(h.unavailable(T0 + 1001)).toMatchObject({ reason: 'rate-limited' });
    h.observe(ok(false), T0 + 1002);
    expect(h.unavailable(T0 + 1003)).toBeNull();
    // A probe that is refused again starts a new pause.
    h.observe(fail(new VenueRateLimitError('418', { venue: v, httpStatus: 418, banned: true })), T0 + 2000);
    expect(h.unavailable(T0 + 61_000)).toMatchObject({ reason: 'banned' });
  });

  it('refused orders in a row pause the venue, doubling per streak; an accepted order resets it', () => {
    const h = new VenueHealth(v, S, T0, false);
    const reject = fail(new VenueRejectError('no', { venue: v }));
    h.observe(reject, T0);
    h.observe(reject, T0);
    // Queries failing and timeouts (outcome unknown) are not refusals.
    h.observe(fail(new VenueRejectError('no', { venue: v }), false), T0);
    h.observe(fail(new VenueTimeoutError('slow', { venue: v, timeoutMs: 1 })), T0);
    expect(h.unavailable(T0)).toBeNull();
    h.observe(fail(new VenueUnavailableError('503', { venue: v, httpStatus: 503 })), T0);
    expect(h.unavailable(T0 + 4999)).toMatchObject({ reason: 'rejects' });
    expect(h.unavailable(T0 + 5001)).toBeNull();
    h.observe(reject, T0 + 6000); // one more after a pause starts the next one, twice as long
    expect(h.unavailable(T0 + 6000 + 9999)).toMatchObject({ reason: 'rejects' });
    expect(h.unavailable(T0 + 6000 + 10_001)).toBeNull();
    h.observe(reject, T0 + 20_000); // capped at maxRejectPauseMs
    expect(h.unavailable(T0 + 20_000 + 12_001)).toBeNull();
    h.observe(ok(), T0 + 40_000);
    h.observe(reject, T0 + 40_000);
    h.observe(reject, T0 + 40_000);
    expect(h.unavailable(T0 + 40_000)).toBeNull();
  });

  it('refused credentials make the venue unavailable until a credential check passes', () => {
    const h = new VenueHealth(v, S, T0, false);
    h.observe(fail(new VenueAuthError('bad signature', { venue: v, code: -1022, httpStatus: 400 }), false), T0);
    expect(h.unavailable(T0 + 100_000)).toMatchObject({ reason: 'credentials', detail: 'VenueAuthError -1022' });
    h.observe(ok(), T0 + 1);
    expect(h.unavailable(T0 + 2)).toMatchObject({ reason: 'credentials' });
    h.credentials(true);
    expect(h.unavailable(T0 + 3)).toBeNull();
  });

  it('the private order stream down for longer than streamDownMs makes the venue unavailable', () => {
    const h = new VenueHealth(v, S, T0, true);
    expect(h.unavailable(T0 + 1000)).toBeNull(); // starting up: within the grace
    expect(h.unavailable(T0 + 2001)).toMatchObject({ reason: 'user-stream' });
    h.stream('live', T0 + 2100);
    expect(h.unavailable(T0 + 2200)).toBeNull();
    h.stream('connecting', T0 + 3000);
    h.stream('subscribing', T0 + 4000);
    expect(h.unavailable(T0 + 4500)).toBeNull();
    expect(h.unavailable(T0 + 5001)).toMatchObject({ reason: 'user-stream', detail: expect.stringContaining('subscribing') });
    const off = new VenueHealth(v, { ...S, streamDownMs: 0 }, T0, true);
    expect(off.unavailable(T0 + 60_000)).toBeNull();
  });
});
