import { subjects, validators, type ExecutionReport } from '@arb/contracts';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { nowMs, sleep } from '../lib/clock';
import { mergeReport } from './report-merge';

/** What the bench keeps of an Opportunity: the triggering book's receive time and when it was detected. */
export interface OppSeen {
  readonly id: string;
  readonly symbol: string;
  readonly route: string;
  /** The A/B variant stamped by the detector that published it. */
  readonly variant: string;
  /** recvTs of the newer of its two books: the venue frame that made it. */
  readonly triggerRecvTs: number;
  readonly detectedTs: number;
  /** Its size and expected net profit (quote) at the books it was computed from. */
  readonly size: string;
  readonly profitQuote: string;
  /** The worst levels its size touched on each leg (before the marketability allowance), when the detector said. */
  readonly touched?: { readonly buy: string; readonly sell: string };
  /** When this process received it. */
  readonly at: number;
}

/**
 * Follows the system's output on core NATS (Opportunities on `arb.opp.>`, ExecutionReports on `arb.exec.>`: core
 * subscribers see what goes into the streams), validated. Only the services' own timestamps are used for latency,
 * so where this process runs does not matter.
 */
export class FlowWatch {
  readonly opps = new Map<string, OppSeen>();
  readonly oppList: OppSeen[] = [];
  /** Per opportunity, its trade's report with its corrections' legs added (see mergeReport). */
  readonly reports = new Map<string, ExecutionReport>();
  invalid = 0;

  private constructor(private readonly nc: NatsConnection) {}

  static async start(url: string, o: { opportunities?: boolean } = {}): Promise<FlowWatch> {
    const nc = await connect({ servers: url, name: 'bench-flow-watch' });
    const w = new FlowWatch(nc);
    if (o.opportunities !== false) nc.subscribe(subjects.opportunities(), { callback: (err, m) => (err === null ? w.onOpp(m.data) : undefined) });
    nc.subscribe(subjects.executions(), { callback: (err, m) => (err === null ? w.onReport(m.data) : undefined) });
    await nc.flush();
    return w;
  }

  /** Resolves once every id has its report, or after `timeoutMs` (then the caller sees which are missing). */
  async waitForReports(ids: readonly string[], timeoutMs: number): Promise<ExecutionReport[]> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end && ids.some((id) => !this.reports.has(id))) await sleep(10);
    return ids.flatMap((id) => {
      const r = this.reports.get(id);
      return r === undefined ? [] : [r];
    });
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.close();
  }

  private onOpp(data: Uint8Array): void {
    const at = nowMs();
    try {
      const o = validators.Opportunity.decode(data);
      const newer = o.books.buy.recvTs >= o.books.sell.recvTs ? o.books.buy : o.books.sell;
      const seen = {
        id: o.id,
        symbol: o.symbol,
        route: `${o.symbol}:${o.buy.venue}>${o.sell.venue}`,
        variant: o.variant,
        triggerRecvTs: newer.recvTs,
        detectedTs: o.detectedTs,
        size: o.size,
        profitQuote: o.profitQuote,
        ...(o.factors !== undefined ? { touched: { buy: o.factors.marketability.buyTouched, sell: o.factors.marketability.sellTouched } } : {}),
        at,
      };
      if (!this.opps.has(o.id)) this.opps.set(o.id, seen);
      this.oppList.push(seen);
    } catch {
      this.invalid++;
    }
  }

  private onReport(data: Uint8Array): void {
    try {
      const r = validators.ExecutionReport.decode(data);
      this.reports.set(r.oppId, mergeReport(this.reports.get(r.oppId), r));
    } catch {
      this.invalid++;
    }
  }
}
