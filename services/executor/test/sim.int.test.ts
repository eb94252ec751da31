import type { ExecutionReport } from '@arb/contracts';
import { startNats, startRedis, type NatsHandle, type RedisHandle, type ServiceProcess } from '@arb/testkit';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import Big from 'big.js';
import { tradeKey } from '../src/ids';
import { balances, BookFeed, control, crossingOpp, publishOpp, setRuntime, simOrders, sleep, startExecutor, startSim, top, waitForReports, type SimProcess } from './stack';

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
    exec = await startExecutor(nats.url, redis.url, sim);
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
    const opp = await crossingOpp(sim, { size, marginBps: 2 });
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
