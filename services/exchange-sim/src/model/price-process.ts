import type { Rng } from './rng';

export interface VenueDynamics {
  /** Time constant (ms) with which the venue's mid follows its target. */
  readonly lagMs: number;
  /** Stationary std-dev (bps) of the venue's mean-reverting noise. */
  readonly noiseBps: number;
}

/** Noise mean-reversion time constant. */
const NOISE_TAU_MS = 1000;

/** What moved the fair price last: a forced dislocation (`/control/dislocate`) or one of the model's own jumps. */
export type JumpCause = 'dislocate' | 'jump';

/** State of one venue's quote for one symbol. */
interface VenueQuote {
  mid: number;
  noise: number;
  /** While > now: the venue still quotes the pre-jump price (target scaled by holdFactor). */
  holdUntil: number;
  holdFactor: number;
  /** Snap to the target on the next step instead of following with lag (the jump leader). */
  snap: boolean;
}

/**
 * The latent fair price of one symbol (geometric random walk) and each venue's mid following it
 * with its own lag and noise. A jump moves the fair price; the leader quotes it at once, the
 * others keep quoting the old level until their delay ends, then catch up with their lag.
 */
export class PriceProcess {
  fair: number;
  private readonly quotes: VenueQuote[];
  private jumpCause: JumpCause = 'jump';
  /** A window that opens until then is attributed to the last jump (its holds + the followers' catch-up). */
  private jumpEffectUntil = -1;

  constructor(
    start: number,
    private readonly volBps: number,
    private readonly venues: readonly VenueDynamics[],
    private readonly rng: Rng,
    /** How long after the last hold ends a new window still counts as the jump's (the followers' catch-up). */
    private readonly settleMs = 0,
  ) {
    this.fair = start;
    this.quotes = venues.map(() => ({ mid: start, noise: 0, holdUntil: 0, holdFactor: 1, snap: false }));
  }

  /** What a window opening at model time `now` comes from: the last jump while its effect lasts, else noise. */
  causeAt(now: number): JumpCause | 'noise' {
    return now <= this.jumpEffectUntil ? this.jumpCause : 'noise';
  }

  /**
   * Adverse selection: venue v stops quoting a stale level. Its pre-jump hold ends and its own noise resets, and its
   * mid moves to the fair price at once (the next re-quote of its book is at fair). Called when takers cleared a
   * window on that venue.
   */
  converge(v: number): void {
    const q = this.quotes[v];
    if (!q) return;
    q.holdUntil = 0;
    q.holdFactor = 1;
    q.noise = 0;
    q.snap = false;
    q.mid = this.fair;
  }

  mid(venue: number): number {
    return (this.quotes[venue] as VenueQuote).mid;
  }

  /** True while some venue still lags behind a jump. */
  jumpPending(now: number): boolean {
    return this.quotes.some((q) => q.holdUntil > now);
  }

  /** Advances by dtMs (model time `now` is the end of the step). */
  step(dtMs: number, now: number): void {
    const dtS = dtMs / 1000;
    this.fair *= Math.exp((this.volBps / 10000) * Math.sqrt(dtS) * this.rng.normal());
    for (let v = 0; v < this.quotes.length; v++) {
      const q = this.quotes[v] as VenueQuote;
      const dyn = this.venues[v] as VenueDynamics;
      const a = Math.exp(-dtMs / NOISE_TAU_MS);
      q.noise = q.noise * a + dyn.noiseBps * Math.sqrt(1 - a * a) * this.rng.normal();
      if (q.holdUntil > 0 && q.holdUntil <= now) {
        q.holdUntil = 0;
        q.holdFactor = 1;
      }
      const target = this.fair * q.holdFactor * (1 + q.noise / 10000);
      if (q.snap || dyn.lagMs <= 0) {
        q.mid = target;
        q.snap = false;
      } else {
        q.mid += (target - q.mid) * (1 - Math.exp(-dtMs / dyn.lagMs));
      }
    }
  }

  /**
   * Jumps the fair price by `bps`; `leader` re-quotes on the next step, every other venue v
   * holds the old level until now + delays[v].
   */
  jump(leader: number, bps: number, now: number, delays: readonly number[], cause: JumpCause = 'jump'): void {
    const factor = 1 + bps / 10000;
    this.fair *= factor;
    this.jumpCause = cause;
    let until = now;
    for (let v = 0; v < this.quotes.length; v++) {
      const q = this.quotes[v] as VenueQuote;
      if (v === leader) {
        q.snap = true;
        q.holdUntil = 0;
        q.holdFactor = 1;
        continue;
      }
      q.holdFactor = (q.holdUntil > now ? q.holdFactor : 1) / factor;
      q.holdUntil = Math.max(q.holdUntil, now + (delays[v] ?? 0));
      until = Math.max(until, q.holdUntil);
    }
    this.jumpEffectUntil = until + this.settleMs;
  }
}
