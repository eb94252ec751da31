import { TRADING_FAULTS_OFF, type TradingFaultsConfig, type TradingFaultsPatch } from '../config/trading-schema';
import type { Rng } from '../model/rng';

/** What fault injection decided for one order request. */
export interface OrderFaultDecision {
  /** Answer 5xx; the order is not executed. */
  error5xx: boolean;
  /** Reject the order as the venue would (failAll or rejectRate). */
  reject: boolean;
  /** Execute, but never answer the HTTP request. */
  timeout: boolean;
  /** Wait this long before executing and answering. */
  delayMs: number;
  /** The order reaches the engine only this long after the request (unknown until then; never answered). */
  arrivalDelayMs: number;
  /** Share of the fill booked and reported only `lateFillMs` later (0: none). */
  lateFillShare: number;
  lateFillMs: number;
}

/** Live trading faults of one venue (POST /control/trading-faults), decided from their own RNG stream. */
export class TradingFaults {
  current: TradingFaultsConfig;
  counters = { rejected: 0, timeouts: 0, errors5xx: 0, delayed: 0, lateArrivals: 0, lateFills: 0, refused: 0 };

  constructor(
    private readonly initial: TradingFaultsConfig,
    private readonly rng: Rng,
  ) {
    this.current = { ...TRADING_FAULTS_OFF, ...initial };
  }

  update(patch: TradingFaultsPatch, reset = false): TradingFaultsConfig {
    this.current = { ...(reset ? { ...TRADING_FAULTS_OFF, ...this.initial } : this.current), ...patch };
    return this.current;
  }

  /** The refusal (status and Retry-After seconds) every signed trading request gets now, or null. */
  refusal(): { status: 418 | 429; retryAfterS: number } | null {
    const { refuseStatus, refuseRetryAfterS } = this.current;
    if (refuseStatus === 0) return null;
    this.counters.refused++;
    return { status: refuseStatus, retryAfterS: refuseRetryAfterS };
  }

  decide(): OrderFaultDecision {
    const f = this.current;
    const d: OrderFaultDecision = { error5xx: false, reject: false, timeout: false, delayMs: f.slowAckMs, arrivalDelayMs: 0, lateFillShare: 0, lateFillMs: f.lateFillMs };
    if (this.chance(f.error5xxRate)) {
      d.error5xx = true;
      this.counters.errors5xx++;
      return d;
    }
    if (f.failAll || this.chance(f.rejectRate)) {
      d.reject = true;
      this.counters.rejected++;
      return d;
    }
    if (this.chance(f.timeoutRate)) {
      d.timeout = true;
      this.counters.timeouts++;
    }
    if (d.delayMs > 0) this.counters.delayed++;
    if (f.arrivalDelayMs > 0) {
      d.arrivalDelayMs = f.arrivalDelayMs;
      d.timeout = true;
      this.counters.lateArrivals++;
    }
    d.lateFillShare = f.lateFillShare;
    return d;
  }

  private chance(rate: number): boolean {
    return rate > 0 && this.rng.next() < rate;
  }
}
