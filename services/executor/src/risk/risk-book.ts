import Big from 'big.js';
import type { ExecutionReport } from '@arb/contracts';

export interface RiskLimits {
  maxNotionalPerTrade?: string;
  dailyVolumeLimitUsd?: string;
  dailyLossLimitUsd?: string;
  maxResidualExposureUsd?: string;
}

export type RiskVerdict = { ok: true } | { ok: false; reason: 'risk-notional' | 'daily-volume' | 'exposure-limit' };

/** Start of the UTC day containing `ts` (epoch ms). */
export function utcDayStart(ts: number): number {
  const d = new Date(ts);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/**
 * Cluster-wide risk figures of the current UTC day, folded from the trade journal (every executor's reports): filled
 * volume and realized PnL (USD), and the net residual base per symbol (USD-valued at the reports' own marks).
 * Floats are fine here: these figures only gate trading, they never size or price an order.
 */
export class RiskBook {
  private day = 0;
  volumeUsd = 0;
  pnlUsd = 0;
  private residual = new Map<string, { base: Big; usd: number }>();
  /** Report ids folded today: a report delivered twice (a re-created consumer or stream) counts once. */
  private seen = new Set<string>();

  constructor(
    private readonly limits: RiskLimits,
    /** USD per unit of the symbol's quote asset (null: unknown, taken from the report's PnL ratio or 1). */
    private readonly usdPerQuote: (symbol: string) => number | null,
  ) {}

  /** Adds one journaled report (once per report id); reports of another day than `now`'s are ignored. False: not added. */
  add(report: ExecutionReport, now: number): boolean {
    this.rollover(now);
    if (utcDayStart(report.timings.finalTs) !== this.day || this.seen.has(report.id)) return false;
    this.seen.add(report.id);
    const pnlQuote = Number(report.realizedPnlQuote);
    const usdPerQuote = this.usdPerQuote(report.symbol) ?? (pnlQuote !== 0 ? Math.abs(Number(report.realizedPnlUsd) / pnlQuote) : 1);
    let notional = 0;
    for (const l of report.legs) if (l.avgPrice !== null) notional += Number(l.filledQty) * Number(l.avgPrice);
    this.volumeUsd += notional * usdPerQuote;
    this.pnlUsd += Number(report.realizedPnlUsd);
    if (report.residualBase !== '0') {
      const r = this.residual.get(report.symbol) ?? { base: new Big(0), usd: 0 };
      r.base = r.base.plus(report.residualBase);
      r.usd += Number(report.residualUsd);
      this.residual.set(report.symbol, r);
    }
    return true;
  }

  /** Net residual exposure, USD, summed over symbols (absolute per symbol). */
  get exposureUsd(): number {
    let total = 0;
    for (const r of this.residual.values()) total += Math.abs(r.usd);
    return total;
  }

  /** Pre-trade check of one opportunity (buy notional in USD). */
  check(buyNotionalUsd: number, now: number): RiskVerdict {
    this.rollover(now);
    const l = this.limits;
    if (l.maxNotionalPerTrade !== undefined && buyNotionalUsd > Number(l.maxNotionalPerTrade)) return { ok: false, reason: 'risk-notional' };
    if (l.dailyVolumeLimitUsd !== undefined && this.volumeUsd + 2 * buyNotionalUsd > Number(l.dailyVolumeLimitUsd)) return { ok: false, reason: 'daily-volume' };
    if (l.maxResidualExposureUsd !== undefined && this.exposureUsd > Number(l.maxResidualExposureUsd)) return { ok: false, reason: 'exposure-limit' };
    return { ok: true };
  }

  /** True when today's realized loss reached the limit. */
  lossLimitHit(): boolean {
    const lim = this.limits.dailyLossLimitUsd;
    return lim !== undefined && this.pnlUsd <= -Number(lim);
  }

  get currentDay(): number {
    return this.day;
  }

  private rollover(now: number): void {
    const d = utcDayStart(now);
    if (d === this.day) return;
    this.day = d;
    this.volumeUsd = 0;
    this.pnlUsd = 0;
    this.residual = new Map();
    this.seen = new Set();
  }
}
