import type { ExecutionReport } from '@arb/contracts';
import { startNats, startRedis, type NatsHandle, type RedisHandle, type ServiceProcess } from '@arb/testkit';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import Big from 'big.js';
import { tradeKey } from '../src/ids';
import { balances, BookFeed, control, crossingOpp, publishOpp, setRuntime, simOrders, sleep, startTradingExecutor, startSim, top, waitForReports, type SimProcess } from './stack';

const VENUES = ['binance', 'coinbase'] as const;
type Snapshot = Record<string, Map<string, Big>>;

async function snapshot(sim: SimProcess): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const v of VENUES) out[v] = await balances(sim, v);
  return out;
}

/** Per venue and asset: what the report's legs say the balances must have moved by (fills and fees, exact). */
function reportedDeltas(r: ExecutionReport): Map<string, Big> {
  const [base, quote] = r.symbol.split('-') as [string, string];
  const d = new Map<string, Big>();
  const add = (venue: string, asset: string, x: Big): void => {
    d.set(`${venue}:${asset}`, (d.get(`${venue}:${asset}`) ?? new Big(0)).plus(x));
  };
  for (const l of r.legs) {
    const qty = new Big(l.filledQty);
    if (qty.eq(0)) continue;
    const sign = l.side === 'buy' ? 1 : -1;
    add(l.venue, base, qty.times(sign));
    add(l.venue, quote, qty.times(l.avgPrice ?? '0').times(-sign));
    if (l.feeAsset === base || l.feeAsset === quote) add(l.venue, l.feeAsset, new Big(l.fee).neg());
  }
  return d;
}

function actualDeltas(before: Snapshot, after: Snapshot, assets: readonly string[]): Map<string, Big> {
  const d = new Map<string, Big>();
  for (const v of VENUES) {
    for (const a of assets) {
      const x = (after[v]?.get(a) ?? new Big(0)).minus(before[v]?.get(a) ?? new Big(0));
      if (!x.eq(0)) d.set(`${v}:${a}`, x);
    }
  }
  return d;
}

const asStrings = (m: Map<string, Big>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const k of [...m.keys()].sort()) {
    const v = m.get(k);
    if (v !== undefined && !v.eq(0)) out[k] = v.toFixed();
  }
  return out;
};

describe('executor process against exchange-sim', () => {
  let nats: NatsHandle;
  let redis: RedisHandle;
  let sim: SimProcess;
  let exec: ServiceProcess;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let feed: BookFeed | undefined;

  beforeAll(async () => {
    [nats, redis] = await Promise.all([startNats(), startRedis()]);
    sim = await startSim();
    exec = await startTradingExecutor(nats.url, redis.url, sim);
    nc = await connect({ servers: nats.url });
    js = jetstream(nc);
    feed = await BookFeed.start(nc, sim);
  });

  afterAll(async () => {
    feed?.stop();
    await nc?.close();
    await exec?.stop();
    await sim?.proc.stop();
    await Promise.all([nats?.stop(), redis?.stop()]);
  });

  afterEach(async () => {
    for (const venue of VENUES) await control(sim, '/control/trading-faults', { venue, reset: true });
  });

  const reportOf = async (oppId: string, timeoutMs = 20_000): Promise<ExecutionReport> => {
    const all = await waitForReports(nc, (rs) => rs.some((r) => r.oppId === oppId), timeoutMs);
    return all.find((r) => r.oppId === oppId) as ExecutionReport;
  };

  it('a profitable opportunity ends filled and both venues move by exactly the fills and fees reported', async () => {
    await control(sim, '/control/dislocate', { symbol: 'BTC-USDT', venue: 'coinbase', bps: 150, durationMs: 10_000 });
    await sleep(100);
    const [b, c] = await Promise.all([top(sim, 'binance', 'BTC-USDT'), top(sim, 'coinbase', 'BTC-USDT')]);
    const size = '0.005';
    expect(new Big(b.ask[1]).gte(size) && new Big(c.bid[1]).gte(size)).toBe(true);
    // Limits 20 bps through the touch: the book's own noise until the orders arrive (hundreds of ms on a loaded host)
    // must not leave a leg unfilled; the 150 bps window still pays both taker fees with room to spare.
    const opp = await crossingOpp(sim, { size, marginBps: 20 });
    // Profitable after both taker fees (0.1 % + 0.6 % in the sim).
    expect(new Big(opp.sell.limitPrice).gt(new Big(opp.buy.limitPrice).times(1.0075))).toBe(true);
    const before = await snapshot(sim);
    await publishOpp(js, opp);
    const r = await reportOf(opp.id);
    const after = await snapshot(sim);

    expect(r.status).toBe('filled');
    expect(r.legs.map((l) => [l.role, l.status, l.filledQty])).toEqual([['buy', 'filled', size], ['sell', 'filled', size]]);
    expect(new Big(r.realizedPnlQuote).gt(0)).toBe(true);
    expect(asStrings(actualDeltas(before, after, ['BTC', 'USDT']))).toEqual(asStrings(reportedDeltas(r)));
    // The report's residual is the change of the total base held over all venues (the Binance fee is in BTC).
    const baseMoved = actualDeltas(before, after, ['BTC']);
    expect([...baseMoved.values()].reduce((s, x) => s.plus(x), new Big(0)).toFixed()).toBe(new Big(r.residualBase).toFixed());
    // The sim saw exactly the two legs, under the deterministic client order ids.
    const orders = await simOrders(sim, tradeKey(opp.id));
    expect(orders.map((o) => o.clientOrderId).sort()).toEqual([`${tradeKey(opp.id)}-b`, `${tradeKey(opp.id)}-s`]);
    for (const l of r.legs) {
      const o = orders.find((x) => x.clientOrderId === l.clientOrderId);
      expect([o?.filledQty, o?.fee, o?.feeAsset]).toEqual([l.filledQty, l.fee, l.feeAsset]);
    }
    expect(r.fencingToken).not.toBeNull();
    expect(r.timings.ordersSentTs).toBeGreaterThanOrEqual(r.timings.receivedTs);
  });

  it.each([
    ['coinbase (sell leg)', 'coinbase'],
    ['binance (buy leg)', 'binance'],
  ])('one venue rejecting everything (%s): hedge, then unwind; the residual equals the venues\' truth', async (_name, failing) => {
    await control(sim, '/control/trading-faults', { venue: failing, faults: { failAll: true } });
    const opp = await crossingOpp(sim, { size: '0.004', marginBps: 30 });
    const before = await snapshot(sim);
    await publishOpp(js, opp);
    const r = await reportOf(opp.id);
    const after = await snapshot(sim);

    const tags = r.legs.map((l) => `${l.clientOrderId.slice(l.clientOrderId.lastIndexOf('-') + 1)}:${l.status}`);
    // Both base legs were sent; the failing venue refused its leg and every hedge there; the excess was unwound.
    expect(tags.slice(0, 2)).toEqual(failing === 'coinbase' ? ['b:filled', 's:rejected'] : ['b:rejected', 's:filled']);
    expect(tags.filter((t) => t.startsWith('h'))).toEqual(['h1:rejected', 'h2:rejected', 'h3:rejected']);
    expect(tags.some((t) => t.startsWith('u') && t.endsWith(':filled'))).toBe(true);
    expect(r.status).toBe('unwound');
    expect(asStrings(actualDeltas(before, after, ['BTC', 'USDT']))).toEqual(asStrings(reportedDeltas(r)));
    const baseMoved = [...actualDeltas(before, after, ['BTC']).values()].reduce((s, x) => s.plus(x), new Big(0));
    expect(baseMoved.toFixed()).toBe(new Big(r.residualBase).toFixed());
    // What is left is fee dust, not an open position.
    expect(new Big(r.residualBase).abs().lt('0.0001')).toBe(true);
  });

  it('an order whose answer never comes is followed to its venue truth', async () => {
    await control(sim, '/control/trading-faults', { venue: 'coinbase', faults: { timeoutRate: 1 } });
    const opp = await crossingOpp(sim, { size: '0.003', marginBps: 30 });
    const before = await snapshot(sim);
    await publishOpp(js, opp);
    const r = await reportOf(opp.id);
    const after = await snapshot(sim);
    expect(r.legs[1]).toMatchObject({ role: 'sell', status: 'filled', ackTs: null });
    expect(r.status).toBe('filled');
    expect(asStrings(actualDeltas(before, after, ['BTC', 'USDT']))).toEqual(asStrings(reportedDeltas(r)));
  });

  /** The trade's reports (its report and corrections) once they hold the sim's truth of every order of the trade. */
  const settled = async (oppId: string, ready: (orders: { clientOrderId: string; status: string }[]) => boolean, timeoutMs = 30_000): Promise<ExecutionReport[]> => {
    const key = tradeKey(oppId);
    const end = Date.now() + timeoutMs;
    for (;;) {
      const [all, orders] = await Promise.all([waitForReports(nc, () => true), simOrders(sim, key)]);
      const mine = all.filter((r) => r.oppId === oppId);
      const qty = (cid: string): Big => mine.flatMap((r) => r.legs).filter((l) => l.clientOrderId === cid).reduce((a, l) => a.plus(l.filledQty), new Big(0));
      if (mine.length > 0 && ready(orders) && orders.every((o) => o.final && qty(o.clientOrderId).eq(o.filledQty))) return mine;
      if (Date.now() > end) throw new Error(`trade ${key} not journaled as the sim has it: ${JSON.stringify(orders.map((o) => [o.clientOrderId, o.filledQty]))}`);
      await sleep(250);
    }
  };
  const lateFaultHit = async (venue: string, counter: 'lateArrivals' | 'lateFills', before: number): Promise<void> => {
    const end = Date.now() + 10_000;
    while ((await control<{ faults: Record<string, Record<string, number>> }>(sim, '/control/trading-stats')).faults[venue]?.[counter] === before) {
      if (Date.now() > end) throw new Error(`${venue} ${counter} never injected`);
      await sleep(5);
    }
    await control(sim, '/control/trading-faults', { venue, reset: true });
  };
  const faultCount = async (venue: string, counter: string): Promise<number> => (await control<{ faults: Record<string, Record<string, number>> }>(sim, '/control/trading-stats')).faults[venue]?.[counter] ?? 0;

  it('an order the venue does not know yet is not taken as never arrived: followed up, its late fill journaled as a correction', async () => {
    const before = await snapshot(sim);
    const n = await faultCount('coinbase', 'lateArrivals');
    await control(sim, '/control/trading-faults', { venue: 'coinbase', faults: { arrivalDelayMs: 4_000 } });
    const opp = await crossingOpp(sim, { size: '0.003', marginBps: 40 });
    await publishOpp(js, opp);
    await lateFaultHit('coinbase', 'lateArrivals', n); // only the sell leg arrives late
    const first = await reportOf(opp.id);
    // Journaled while the venue did not know the sell: unknown, not "never arrived".
    expect(first.legs.find((l) => l.role === 'sell')).toMatchObject({ status: 'unknown', filledQty: '0' });
    const reports = await settled(opp.id, (orders) => orders.some((o) => o.clientOrderId.endsWith('-s'))); // arrived
    const after = await snapshot(sim);
    const correction = reports.find((r) => r.corrects !== undefined);
    expect(correction?.corrects).toBe(first.id);
    expect(correction?.legs.find((l) => l.clientOrderId === `${tradeKey(opp.id)}-s`)?.filledQty).toBe('0.003');
    // Report + corrections = the venues, to the last unit, and what the late fill added was closed again.
    const reported = new Map<string, Big>();
    for (const r of reports) for (const [k, v] of reportedDeltas(r)) reported.set(k, (reported.get(k) ?? new Big(0)).plus(v));
    expect(asStrings(actualDeltas(before, after, ['BTC', 'USDT']))).toEqual(asStrings(reported));
    const residual = reports.reduce((a, r) => a.plus(r.residualBase), new Big(0));
    expect(residual.abs().lt('0.0001')).toBe(true);
  }, 60_000);

  it('a fill the venue reports late (private stream) reopens the trade: corrected in the journal, exposure closed', async () => {
    const before = await snapshot(sim);
    const n = await faultCount('binance', 'lateFills');
    await control(sim, '/control/trading-faults', { venue: 'binance', faults: { lateFillShare: 0.6, lateFillMs: 1_500 } });
    const opp = await crossingOpp(sim, { size: '0.005', marginBps: 40 });
    await publishOpp(js, opp);
    await lateFaultHit('binance', 'lateFills', n);
    const first = await reportOf(opp.id);
    expect(first.legs.find((l) => l.role === 'buy')).toMatchObject({ filledQty: '0.002' }); // 40 % reported at first
    const reports = await settled(opp.id, (orders) => orders.some((o) => o.clientOrderId.endsWith('-b') && o.status === 'filled')); // booked
    const after = await snapshot(sim);
    expect(reports.some((r) => r.corrects === first.id && r.legs.some((l) => l.clientOrderId === `${tradeKey(opp.id)}-b` && l.filledQty === '0.003'))).toBe(true);
    const reported = new Map<string, Big>();
    for (const r of reports) for (const [k, v] of reportedDeltas(r)) reported.set(k, (reported.get(k) ?? new Big(0)).plus(v));
    expect(asStrings(actualDeltas(before, after, ['BTC', 'USDT']))).toEqual(asStrings(reported));
    expect(reports.reduce((a, r) => a.plus(r.residualBase), new Big(0)).abs().lt('0.0001')).toBe(true);
    expect(exec.lines().some((l) => l.includes('late fill report') && l.includes(`${tradeKey(opp.id)}-b`))).toBe(true);
  }, 60_000);

  it('an expired opportunity is journaled as expired and never traded', async () => {
    const opp = await crossingOpp(sim, { size: '0.002', ttlMs: -1 });
    await publishOpp(js, opp);
    const r = await reportOf(opp.id);
    expect(r.status).toBe('expired');
    expect(r.legs).toEqual([]);
    await sleep(300);
    expect(await simOrders(sim, tradeKey(opp.id))).toEqual([]);
  });

  it('the kill switch (KV arb_config/runtime) stops trading live, and lifting it resumes', async () => {
    await setRuntime(nc, { killSwitch: true, killReason: 'test' });
    await sleep(300);
    const stopped = await crossingOpp(sim, { size: '0.002' });
    await publishOpp(js, stopped);
    const r = await reportOf(stopped.id);
    expect(r.status).toBe('skipped');
    expect(r.reason).toMatch(/^kill-switch/);
    expect(await simOrders(sim, tradeKey(stopped.id))).toEqual([]);
    await setRuntime(nc, { killSwitch: false });
    await sleep(300);
    const resumed = await crossingOpp(sim, { size: '0.002' });
    await publishOpp(js, resumed);
    expect((await reportOf(resumed.id)).status).not.toBe('skipped');
  });

  it('the same opportunity delivered twice is traded and journaled once', async () => {
    const opp = await crossingOpp(sim, { size: '0.002' });
    await Promise.all([publishOpp(js, opp, `${opp.id}-a`), publishOpp(js, opp, `${opp.id}-b`)]);
    await reportOf(opp.id);
    await sleep(1_000);
    const reports = await waitForReports(nc, () => true);
    expect(reports.filter((r) => r.oppId === opp.id)).toHaveLength(1);
    expect((await simOrders(sim, tradeKey(opp.id))).map((o) => o.clientOrderId).sort()).toEqual([`${tradeKey(opp.id)}-b`, `${tradeKey(opp.id)}-s`]);
  });
});
