import { TextDecoder } from 'node:util';
import { CounterRate, SampleWindow } from './window.mjs';

const decoder = new TextDecoder();
const DECIMAL = /^-?\d+(\.\d+)?$/;
const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v) => typeof v === 'string' && v !== '';
const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

/** Same rule as the stats service: success = filled; skipped/expired sent no order (not executed). */
export const NOT_EXECUTED = new Set(['skipped', 'expired']);
export const SUCCESS = 'filled';

function parse(data) {
  try {
    return JSON.parse(typeof data === 'string' ? data : decoder.decode(data));
  } catch {
    return undefined;
  }
}

const looksLikeStatus = (m) => isObj(m) && isStr(m.venue) && isStr(m.state) && isObj(m.symbols) && isObj(m.counters);
const looksLikeOpportunity = (m) =>
  isObj(m) && isStr(m.id) && isStr(m.symbol) && isNum(m.detectedTs) && isObj(m.buy) && isObj(m.sell) && isStr(m.buy.venue) &&
  isStr(m.sell.venue) && isObj(m.books) && isObj(m.books.buy) && isObj(m.books.sell);
const looksLikeReport = (m) =>
  isObj(m) && isStr(m.id) && isStr(m.status) && typeof m.realizedPnlUsd === 'string' && DECIMAL.test(m.realizedPnlUsd) &&
  isObj(m.timings) && isNum(m.timings.receivedTs) && isNum(m.timings.finalTs);

/** A Map used as a bounded insertion-ordered set/dictionary: the oldest entries go first. */
function remember(map, key, value, max) {
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value);
}

/**
 * What the live summary knows, fed with raw bus messages (bytes or text): FeedStatus (md.status.*), Opportunity
 * (arb.opp.>) and ExecutionReport (arb.exec.>). Validation is loose (JSON + the fields used); anything else is counted
 * in `bad` and dropped. Money is summed with big.js (injected, so this file needs nothing from the workspace).
 */
export class SummaryState {
  constructor({ Big, now = () => performance.timeOrigin + performance.now(), staleAfterMs = 3000, maxEvents = 6, maxIds = 100_000 }) {
    this.Big = Big;
    this.now = now;
    this.staleAfterMs = staleAfterMs;
    this.maxEvents = maxEvents;
    this.maxIds = maxIds;
    this.startedTs = now();
    this.venues = new Map();
    this.opps = { count: 0, last: undefined, latency: new SampleWindow() };
    this.oppDetectedTs = new Map();
    this.trades = { reports: 0, duplicates: 0, byStatus: {}, pnlUsd: new Big(0), exec: new SampleWindow(), send: new SampleWindow() };
    this.reportIds = new Map();
    this.bad = { status: 0, opportunity: 0, execution: 0 };
    this.events = [];
    this.stats = undefined;
    this.statsError = undefined;
  }

  onStatus(data) {
    const m = parse(data);
    if (!looksLikeStatus(m)) return void this.bad.status++;
    const ts = this.now();
    let v = this.venues.get(m.venue);
    if (!v) {
      v = { venue: m.venue, rate: new CounterRate(), liveSinceTs: null, everLive: false };
      this.venues.set(m.venue, v);
    }
    if (m.state === 'live') {
      v.liveSinceTs ??= ts;
      v.everLive = true;
    } else v.liveSinceTs = null;
    v.state = m.state;
    v.symbols = m.symbols;
    v.counters = m.counters;
    v.receivedTs = ts;
    if (isNum(m.counters.updates)) v.rate.add(ts, m.counters.updates);
  }

  onOpportunity(data) {
    const m = parse(data);
    if (!looksLikeOpportunity(m)) return void this.bad.opportunity++;
    this.opps.count++;
    this.opps.last = m;
    const bookTs = Math.max(Number(m.books.buy.recvTs), Number(m.books.sell.recvTs));
    this.opps.latency.add(m.detectedTs - bookTs);
    remember(this.oppDetectedTs, m.id, m.detectedTs, 20_000);
  }

  onExecution(data) {
    const m = parse(data);
    if (!looksLikeReport(m)) return void this.bad.execution++;
    if (this.reportIds.has(m.id)) return void this.trades.duplicates++;
    remember(this.reportIds, m.id, true, this.maxIds);
    const t = this.trades;
    t.pnlUsd = t.pnlUsd.plus(m.realizedPnlUsd);
    // A correcting report (`corrects`) adds money to a trade counted before: no trade, status or timing, like stats.
    if (m.corrects !== undefined) return;
    t.reports++;
    t.byStatus[m.status] = (t.byStatus[m.status] ?? 0) + 1;
    if (!NOT_EXECUTED.has(m.status)) t.exec.add(m.timings.finalTs - m.timings.receivedTs);
    const detected = this.oppDetectedTs.get(m.oppId);
    if (detected !== undefined && isNum(m.timings.ordersSentTs)) t.send.add(m.timings.ordersSentTs - detected);
  }

  /** The stats service's last `/stats` answer (or the error fetching it). */
  setStats(snapshot, error) {
    this.stats = snapshot ?? this.stats;
    this.statsError = error;
  }

  event(text) {
    this.events.push({ ts: this.now(), text });
    if (this.events.length > this.maxEvents) this.events.shift();
  }

  /** Per venue, in name order: state as reported, `live` (reported live and fresh), symbols live, updates/s. */
  feeds() {
    const now = this.now();
    return [...this.venues.values()]
      .sort((a, b) => (a.venue < b.venue ? -1 : 1))
      .map((v) => {
        const silentMs = now - v.receivedTs;
        const symbols = Object.entries(v.symbols).filter(([, s]) => isObj(s));
        const ages = symbols.map(([, s]) => s.bookAgeMs).filter(isNum);
        return {
          venue: v.venue,
          state: silentMs > this.staleAfterMs ? 'silent' : v.state,
          reported: v.state,
          live: v.state === 'live' && silentMs <= this.staleAfterMs,
          everLive: v.everLive,
          liveForMs: v.liveSinceTs === null ? null : now - v.liveSinceTs,
          silentMs,
          symbolsLive: symbols.filter(([, s]) => s.state === 'live').length,
          symbolsTotal: symbols.length,
          maxBookAgeMs: ages.length ? Math.max(...ages) : null,
          updatesPerSec: v.rate.perSec(),
          counters: v.counters,
        };
      });
  }

  /** Trade counts derived from byStatus: executed (orders sent), successful (filled), success rate. */
  tradeTotals(byStatus = this.trades.byStatus) {
    let reports = 0;
    let executed = 0;
    for (const [status, n] of Object.entries(byStatus)) {
      reports += n;
      if (!NOT_EXECUTED.has(status)) executed += n;
    }
    const successful = byStatus[SUCCESS] ?? 0;
    return { reports, executed, successful, successRate: executed === 0 ? null : successful / executed };
  }
}
