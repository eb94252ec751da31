import { FAULTS_OFF, type FaultsConfig, type FaultsPatch } from '../config/faults-schema';
import { nowMs } from '../model/format';
import type { Rng } from '../model/rng';
import type { VenueStats } from '../net/stats';

export type RestFault = 0 | 429 | 503;

/**
 * The live fault settings of one venue and their schedules (disconnect-all, freeze), driven by
 * wall-clock timers. Per-message decisions draw from the venue's own fault RNG, separate from
 * the market model's, so faults never change the market's sequence.
 */
export class VenueFaults {
  current: FaultsConfig;
  /** True during a silent freeze: nothing at all is sent. */
  frozen = false;
  private disconnectTimer: NodeJS.Timeout | null = null;
  private freezeTimer: NodeJS.Timeout | null = null;
  private thawTimer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly initial: FaultsConfig,
    readonly rng: Rng,
    private readonly stats: VenueStats,
    private readonly disconnectAll: () => void,
  ) {
    this.current = { ...FAULTS_OFF, ...initial };
  }

  start(): void {
    this.running = true;
    this.arm();
  }

  stop(): void {
    this.running = false;
    this.disarm();
    this.frozen = false;
  }

  /** Merges a patch (or resets to the configured faults when `reset`); re-arms schedules. */
  update(patch: FaultsPatch, reset = false): FaultsConfig {
    this.current = { ...(reset ? { ...FAULTS_OFF, ...this.initial } : this.current), ...patch };
    if (this.running) {
      this.disarm();
      this.frozen = false;
      this.arm();
    }
    return this.current;
  }

  /** The venue's clock (epoch ms): host time + clockOffsetMs. */
  now(): number {
    return Date.now() + this.current.clockOffsetMs;
  }

  /** The venue's clock with a sub-millisecond fraction (Coinbase's microsecond timestamps). */
  preciseNow(): number {
    return nowMs() + this.current.clockOffsetMs;
  }

  chance(rate: number): boolean {
    return rate > 0 && this.rng.next() < rate;
  }

  restFault(): RestFault {
    if (this.chance(this.current.rest429Rate)) return 429;
    if (this.chance(this.current.restErrorRate)) return 503;
    return 0;
  }

  /** Whether this REST depth snapshot is served crossed (crossedDepthRate). */
  crossedDepth(): boolean {
    return this.chance(this.current.crossedDepthRate);
  }

  private arm(): void {
    const f = this.current;
    if (f.disconnectEveryS > 0) {
      this.disconnectTimer = setInterval(() => {
        this.stats.disconnectsInjected++;
        this.disconnectAll();
      }, f.disconnectEveryS * 1000);
    }
    if (f.freezeEveryS > 0 && f.freezeMs > 0) {
      this.freezeTimer = setInterval(() => {
        this.stats.freezes++;
        this.frozen = true;
        if (this.thawTimer) clearTimeout(this.thawTimer);
        this.thawTimer = setTimeout(() => {
          this.frozen = false;
          this.thawTimer = null;
        }, f.freezeMs);
      }, f.freezeEveryS * 1000);
    }
  }

  private disarm(): void {
    for (const t of [this.disconnectTimer, this.freezeTimer]) if (t) clearInterval(t);
    if (this.thawTimer) clearTimeout(this.thawTimer);
    this.disconnectTimer = this.freezeTimer = this.thawTimer = null;
  }
}
