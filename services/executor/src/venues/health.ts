import { VenueAuthError, VenueRateLimitError, VenueRejectError, VenueUnavailableError } from '@arb/venues';

export interface VenueHealthSettings {
  /** A 429 without Retry-After pauses the venue this long. */
  rateLimitPauseMs: number;
  /** A ban (418) without Retry-After pauses it this long. */
  banPauseMs: number;
  /** Refused orders in a row that pause the venue (0 = never). */
  maxConsecutiveRejects: number;
  rejectPauseMs: number;
  maxRejectPauseMs: number;
  /** The private order stream down longer than this makes the venue unavailable (0 = ignore the stream). */
  streamDownMs: number;
}

/** Why a venue cannot be traded now (the first that applies). */
export type UnavailableReason = 'credentials' | 'banned' | 'rate-limited' | 'rejects' | 'user-stream';

export interface Unavailable {
  reason: UnavailableReason;
  detail: string;
}

/** What a request's outcome tells about the venue. */
export type Outcome = { kind: 'ok'; order: boolean } | { kind: 'error'; order: boolean; error: unknown };

/**
 * Trading health of one venue, from what its client's requests and private stream show (no I/O of its own):
 *
 * - rate limited (429) or banned (418): paused until the venue's Retry-After (or a default), and after that until an
 *   authenticated read succeeds (`probeDue` → the caller probes), so the first order after a ban is not the test;
 * - `maxConsecutiveRejects` refused orders in a row (rejects, 5xx): paused for a cool-down that doubles per streak up
 *   to a maximum; an accepted order resets both;
 * - credentials refused (401, bad signature, -2015): unavailable until a credential check passes;
 * - private order stream not live for longer than `streamDownMs`.
 */
export class VenueHealth {
  private pausedUntil = 0;
  private pauseReason: 'banned' | 'rate-limited' = 'rate-limited';
  private pauseDetail = '';
  private probeNeeded = false;
  private rejectStreak = 0;
  private rejectPausedUntil = 0;
  private nextRejectPauseMs: number;
  private authError: string | null = null;
  private streamDownSince: number | null;
  private streamState = 'unknown';

  constructor(
    readonly venue: string,
    private readonly s: VenueHealthSettings,
    now: number,
    /** Paper clients have no private stream. */
    hasStream = true,
  ) {
    this.nextRejectPauseMs = s.rejectPauseMs;
    this.streamDownSince = hasStream ? now : null;
  }

  /** Null when the venue may be traded at `now`. */
  unavailable(now: number): Unavailable | null {
    if (this.authError !== null) return { reason: 'credentials', detail: this.authError };
    if (now < this.pausedUntil) return { reason: this.pauseReason, detail: `${this.pauseDetail}; ${Math.ceil(this.pausedUntil - now)} ms left` };
    if (this.probeNeeded) return { reason: this.pauseReason, detail: `${this.pauseDetail}; waiting for an authenticated read to succeed` };
    if (now < this.rejectPausedUntil) return { reason: 'rejects', detail: `${this.rejectStreak} orders refused in a row; ${Math.ceil(this.rejectPausedUntil - now)} ms left` };
    if (this.s.streamDownMs > 0 && this.streamDownSince !== null && now - this.streamDownSince > this.s.streamDownMs) {
      return { reason: 'user-stream', detail: `private order stream ${this.streamState} for ${Math.round(now - this.streamDownSince)} ms` };
    }
    return null;
  }

  /** True when a rate-limit pause is over and an authenticated read must now confirm the venue answers again. */
  probeDue(now: number): boolean {
    return this.probeNeeded && now >= this.pausedUntil && this.authError === null;
  }

  /** Records one request's outcome (`order`: a new order, not a query, cancel or read). */
  observe(o: Outcome, now: number): void {
    if (o.kind === 'ok') {
      if (now >= this.pausedUntil) this.probeNeeded = false;
      if (o.order) {
        this.rejectStreak = 0;
        this.nextRejectPauseMs = this.s.rejectPauseMs;
      }
      return;
    }
    const e = o.error;
    if (e instanceof VenueRateLimitError) {
      // The client's own limiter refusing (not sent, no HTTP status) while the venue's pause lasts adds nothing new.
      if (e.httpStatus === null && now < this.pausedUntil) return;
      const ms = e.retryAfterMs ?? (e.banned ? this.s.banPauseMs : this.s.rateLimitPauseMs);
      const until = now + ms;
      if (until > this.pausedUntil) {
        this.pausedUntil = until;
        this.pauseReason = e.banned ? 'banned' : 'rate-limited';
        this.pauseDetail = `${e.banned ? 'banned' : 'rate limited'} (${e.httpStatus ?? e.code ?? 'client limiter'}), retry after ${ms} ms`;
      }
      this.probeNeeded = true;
      return;
    }
    if (e instanceof VenueAuthError) {
      this.authError = `${e.name} ${e.code ?? e.httpStatus ?? ''}`.trim();
      return;
    }
    if (o.order && (e instanceof VenueRejectError || (e instanceof VenueUnavailableError && !e.outcomeUnknown))) {
      this.rejectStreak++;
      if (this.s.maxConsecutiveRejects > 0 && this.rejectStreak >= this.s.maxConsecutiveRejects) {
        this.rejectPausedUntil = now + this.nextRejectPauseMs;
        this.nextRejectPauseMs = Math.min(this.nextRejectPauseMs * 2, this.s.maxRejectPauseMs);
        this.rejectStreak = this.s.maxConsecutiveRejects - 1; // one more refusal after the pause starts the next one
      }
    }
  }

  /** A credential check passed (clears an auth failure) or failed definitively (sets it). */
  credentials(ok: boolean, detail = ''): void {
    this.authError = ok ? null : detail;
  }

  /** The private stream's state (`live` = subscribed). */
  stream(state: string, now: number): void {
    this.streamState = state;
    if (state === 'live') this.streamDownSince = null;
    else this.streamDownSince ??= now;
  }
}
