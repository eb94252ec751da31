import Big from 'big.js';
import { EXECUTION_STATUSES, type ExecutionReport, type ExecutionStatus } from '@arb/contracts';
import { addTo, dec, decMap, ratio } from './decimal';
import type { LegMoney, ReportFacts } from './report-facts';

/** Assets kept per fee map of one scope; further assets are summed under `OTHER`. */
const MAX_FEE_ASSETS = 32;
/** A profit rate is computed over at least this span, so the first trade does not extrapolate to a huge rate. */
export const MIN_RATE_SPAN_MS = 60_000;
const HOUR_MS = 3_600_000;
const BPS = 10_000;

/** One scope's statistics as JSON: counts as numbers, money as exact decimal strings, times in ms. */
export interface ScopeStats {
  opportunities: number;
  reports: number;
  executed: number;
  successful: number;
  partial: number;
  recovered: number;
  failed: number;
  notExecuted: number;
  byStatus: Record<ExecutionStatus, number>;
  /** successful / executed (null before the first executed trade). */
  successRate: number | null;
  volumeUsd: string;
  grossProfitUsd: string;
  netProfitUsd: string;
  feesUsd: string;
  feesByAsset: Record<string, string>;
  feesUnpriced: Record<string, string>;
  /** netProfitUsd / executed. */
  avgProfitPerTradeUsd: string | null;
  /** Net profit of the successful (filled) trades / successful. */
  avgProfitPerSuccessfulTradeUsd: string | null;
  /** Profit rate: netProfitUsd / volumeUsd in basis points (volume counts every leg, so both sides of a trade). */
  profitRateBps: string | null;
  /** netProfitUsd per hour since the scope's first executed trade (span at least 1 min). */
  profitPerHourUsd: string | null;
  avgExecutionMs: number | null;
  maxExecutionMs: number | null;
  avgSendLatencyMs: number | null;
  /** Executed trades with fills whose quote asset had no USD rate (their volume/fees are not in the USD sums). */
  unpricedTrades: number;
  firstTradeTs: number | null;
  lastTradeTs: number | null;
  /** Sum of residualUsd (not on venue scopes: the residual belongs to the trade, not to one venue). */
  residualUsd?: string;
  /** Symbol and route scopes (one base and one quote asset): */
  residualBase?: string;
  volumeQuote?: string;
  netProfitQuote?: string;
}

export interface ScopeShape {
  /** Include residualUsd. */
  residual: boolean;
  /** Single symbol: include residualBase and quote-denominated volume/PnL. */
  singleSymbol: boolean;
}

/** Running totals of one scope (overall, a venue, a route, a symbol or a variant). Exact decimals throughout. */
export class ScopeTotals {
  opportunities = 0;
  reports = 0;
  readonly byStatus = Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, 0])) as Record<ExecutionStatus, number>;
  executed = 0;
  successful = 0;
  partial = 0;
  recovered = 0;
  failed = 0;
  notExecuted = 0;
  unpricedTrades = 0;
  volumeUsd = new Big(0);
  volumeQuote = new Big(0);
  netProfitUsd = new Big(0);
  /** Net profit of the successful (filled) trades only. */
  successNetProfitUsd = new Big(0);
  netProfitQuote = new Big(0);
  feesUsd = new Big(0);
  feesInPnlUsd = new Big(0);
  readonly feesByAsset = new Map<string, Big>();
  readonly feesUnpriced = new Map<string, Big>();
  residualBase = new Big(0);
  residualUsd = new Big(0);
  private execMsSum = 0;
  private execCount = 0;
  private execMax: number | null = null;
  private sendMsSum = 0;
  private sendCount = 0;
  firstTradeTs: number | null = null;
  lastTradeTs: number | null = null;

  constructor(readonly shape: ScopeShape) {}

  /** Adds a report; `money` is the part of its legs that belongs to this scope (all legs, or one venue's). */
  addReport(r: ExecutionReport, f: ReportFacts, money: LegMoney | undefined): void {
    // A correction (ExecutionReport.corrects) adds money to a trade already counted: no trade counts, no timings.
    if (r.corrects === undefined) this.countTrade(r, f);
    this.netProfitUsd = this.netProfitUsd.plus(r.realizedPnlUsd);
    this.netProfitQuote = this.netProfitQuote.plus(r.realizedPnlQuote);
    this.residualBase = this.residualBase.plus(r.residualBase);
    this.residualUsd = this.residualUsd.plus(r.residualUsd);
    if (money === undefined) return;
    this.volumeQuote = this.volumeQuote.plus(money.volumeQuote);
    if (money.volumeUsd !== null) this.volumeUsd = this.volumeUsd.plus(money.volumeUsd);
    else if (money.volumeQuote.gt(0) && r.corrects === undefined) this.unpricedTrades++;
    this.feesUsd = this.feesUsd.plus(money.feesUsd);
    this.feesInPnlUsd = this.feesInPnlUsd.plus(money.feesInPnlUsd);
    for (const [asset, fee] of money.feesByAsset) addTo(this.feesByAsset, capKey(this.feesByAsset, asset), fee);
    for (const [asset, fee] of money.feesUnpriced) addTo(this.feesUnpriced, capKey(this.feesUnpriced, asset), fee);
  }

  private countTrade(r: ExecutionReport, f: ReportFacts): void {
    this.reports++;
    this.byStatus[r.status]++;
    switch (f.outcome) {
      case 'success':
        this.successful++;
        this.successNetProfitUsd = this.successNetProfitUsd.plus(r.realizedPnlUsd);
        break;
      case 'partial':
        this.partial++;
        break;
      case 'recovered':
        this.recovered++;
        break;
      case 'failed':
        this.failed++;
        break;
      case 'not_executed':
        this.notExecuted++;
        break;
    }
    if (f.outcome !== 'not_executed') {
      this.executed++;
      if (this.firstTradeTs === null || r.timings.receivedTs < this.firstTradeTs) this.firstTradeTs = r.timings.receivedTs;
      if (this.lastTradeTs === null || r.timings.finalTs > this.lastTradeTs) this.lastTradeTs = r.timings.finalTs;
    }
    if (f.executionMs !== null) {
      this.execMsSum += f.executionMs;
      this.execCount++;
      this.execMax = Math.max(this.execMax ?? 0, f.executionMs);
    }
    if (f.sendLatencyMs !== null) {
      this.sendMsSum += f.sendLatencyMs;
      this.sendCount++;
    }
  }

  /** Gross profit: realized PnL before the fees it already includes (those paid in the base or quote asset). */
  grossProfitUsd(): Big {
    return this.netProfitUsd.plus(this.feesInPnlUsd);
  }

  toJSON(now: number): ScopeStats {
    const span = this.firstTradeTs === null ? null : Math.max(now - this.firstTradeTs, MIN_RATE_SPAN_MS);
    const out: ScopeStats = {
      opportunities: this.opportunities,
      reports: this.reports,
      executed: this.executed,
      successful: this.successful,
      partial: this.partial,
      recovered: this.recovered,
      failed: this.failed,
      notExecuted: this.notExecuted,
      byStatus: { ...this.byStatus },
      successRate: this.executed === 0 ? null : this.successful / this.executed,
      volumeUsd: dec(this.volumeUsd),
      grossProfitUsd: dec(this.grossProfitUsd()),
      netProfitUsd: dec(this.netProfitUsd),
      feesUsd: dec(this.feesUsd),
      feesByAsset: decMap(this.feesByAsset),
      feesUnpriced: decMap(this.feesUnpriced),
      avgProfitPerTradeUsd: ratio(this.netProfitUsd, this.executed),
      avgProfitPerSuccessfulTradeUsd: ratio(this.successNetProfitUsd, this.successful),
      profitRateBps: ratio(this.netProfitUsd.times(BPS), this.volumeUsd),
      profitPerHourUsd: span === null ? null : ratio(this.netProfitUsd.times(HOUR_MS), new Big(Math.round(span))),
      avgExecutionMs: this.execCount === 0 ? null : this.execMsSum / this.execCount,
      maxExecutionMs: this.execMax,
      avgSendLatencyMs: this.sendCount === 0 ? null : this.sendMsSum / this.sendCount,
      unpricedTrades: this.unpricedTrades,
      firstTradeTs: this.firstTradeTs,
      lastTradeTs: this.lastTradeTs,
    };
    if (this.shape.residual) out.residualUsd = dec(this.residualUsd);
    if (this.shape.singleSymbol) {
      out.residualBase = dec(this.residualBase);
      out.volumeQuote = dec(this.volumeQuote);
      out.netProfitQuote = dec(this.netProfitQuote);
    }
    return out;
  }
}

function capKey(map: ReadonlyMap<string, Big>, key: string): string {
  return map.has(key) || map.size < MAX_FEE_ASSETS - 1 ? key : 'OTHER';
}
