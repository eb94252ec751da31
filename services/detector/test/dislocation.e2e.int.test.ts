import Big from 'big.js';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { subjects, validators, type Opportunity } from '@arb/contracts';
import { freePort, promSamples, simVenueEnv, startBuiltService, startNats, startRedis, startSimProcess, type NatsHandle, type RedisHandle, type ServiceProcess } from '@arb/testkit';

const entry = (service: string): string => `services/${service}/dist/main.js`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const FEES = { binance: '0.0002', coinbase: '0.0003' } as const;
type Level = [string, string];

/** Walks `levels` for `size`: VWAP and worst price touched, exactly. */
function walk(levels: Level[], size: Big): { vwap: Big; worst: string } | null {
  let left = size;
  let notional = new Big(0);
  for (const [p, q] of levels) {
    const take = left.lt(q) ? left : new Big(q);
    notional = notional.plus(take.times(p));
    left = left.minus(take);
    if (left.eq(0)) return { vwap: notional.div(size), worst: p };
  }
  return null;
}

describe('exchange-sim dislocations → feed-ingestors → detector → Opportunity', () => {
  let nats: NatsHandle;
  let redis: RedisHandle;
  let nc: NatsConnection;
  const procs: ServiceProcess[] = [];
  let control = '';
  let detectorUrl = '';
  /** The detector's rejections by reason (and low-confidence by factor), to say why when nothing was published. */
  const why = async (): Promise<string> => {
    const text = await (await fetch(`${detectorUrl}/metrics`)).text();
    const rows = [...promSamples(text, 'detector_rejections_total'), ...promSamples(text, 'detector_low_confidence_total')];
    return rows.map((r) => `${[...r.labels.values()].join('/')} ${r.value}`).join(', ');
  };
  const opps: Array<{ at: number; o: Opportunity }> = [];

  beforeAll(async () => {
    [nats, redis] = await Promise.all([startNats(), startRedis()]);
    const common = { ARB__NATS__URL: nats.url, ARB__REDIS__URL: redis.url, ARB__LOG__LEVEL: 'warn' };
    const sim = await startSimProcess({ ...common, ARB__SIM__JUMPS__PER_MINUTE: '0', ARB__SIM__CONTROL__HISTORY_SIZE: '200000' });
    procs.push(sim.proc);
    control = sim.control;
    for (const venue of ['binance', 'coinbase']) {
      procs.push(await startBuiltService({ name: `ingestor-${venue}`, entry: entry('feed-ingestor'), env: { ...common, ...simVenueEnv(sim), VENUE: venue } }));
    }
    const port = await freePort();
    detectorUrl = `http://127.0.0.1:${port}`;
    procs.push(await startBuiltService({ name: 'detector', entry: entry('detector'), env: { ...common, ARB__HTTP__PORT: String(port) } }));
    nc = await connect({ servers: nats.url });
    const sub = nc.subscribe(subjects.opportunities());
    void (async () => {
      for await (const m of sub) opps.push({ at: Date.now(), o: validators.Opportunity.decode(m.data) });
    })();
    // Both feeds live and evaluated against each other for both symbols (a loaded host may take a while to get there).
    const evaluated = async (): Promise<boolean> => {
      const text = await (await fetch(`${detectorUrl}/metrics`).catch(() => null))?.text();
      const n = (symbol: string): number => promSamples(text ?? '', 'detector_evaluations_total').find((r) => r.labels.get('symbol') === symbol)?.value ?? 0;
      return n('BTC-USDT') > 0 && n('ETH-USDT') > 0;
    };
    for (let i = 0; i < 300 && !(await evaluated()); i++) await sleep(100);
    await sleep(1000);
  }, 60_000);

  afterAll(async () => {
    await nc?.close();
    for (const p of procs.reverse()) await p.stop();
    await Promise.all([nats?.stop(), redis?.stop()]);
  });

  const dislocate = async (body: object): Promise<void> => {
    const res = await fetch(`${control}/control/dislocate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
  };

  it('publishes nothing while the venues agree', () => {
    expect(opps).toEqual([]);
  });

  it('a 30 bps jump on binance BTC-USDT gives buy-coinbase / sell-binance opportunities sized on the true books', async () => {
    const t0 = Date.now();
    await dislocate({ symbol: 'BTC-USDT', venue: 'binance', bps: 30, durationMs: 3000 });
    // Up to 5 s: on a loaded host the whole path (sim → ingestor → detector) can lag by a second or more.
    for (let i = 0; i < 50 && !opps.some((x) => x.at >= t0); i++) await sleep(100);
    await sleep(500);
    const seen = opps.filter((x) => x.at >= t0).map((x) => x.o);
    if (seen.length === 0) throw new Error(`no opportunity; detector rejections: ${await why()}`);
    for (const o of seen) {
      expect([o.symbol, o.buy.venue, o.sell.venue]).toEqual(['BTC-USDT', 'coinbase', 'binance']);
      expect(Number(o.netEdgeBps)).toBeGreaterThan(2);
      expect(o.expiresTs).toBeGreaterThan(o.detectedTs);
      // Re-derive the trade from the simulator's true books at the sequences the detector used.
      const book = async (venue: string, seq: number): Promise<{ bids: Level[]; asks: Level[] }> => {
        const r = await fetch(`${control}/control/book?venue=${venue}&symbol=${o.symbol}&seq=${seq}&depth=20`);
        expect(r.status).toBe(200);
        return (await r.json()) as { bids: Level[]; asks: Level[] };
      };
      const buyBook = await book('coinbase', o.books.buy.venueSeq);
      const sellBook = await book('binance', o.books.sell.venueSeq);
      const size = new Big(o.size);
      expect(size.mod('0.00001').eq(0)).toBe(true); // the coarser lot step of the two venues
      const buy = walk(buyBook.asks, size);
      const sell = walk(sellBook.bids, size);
      expect(buy).not.toBeNull();
      expect(sell).not.toBeNull();
      // The touched levels are the worst ones the size walks; the IOC limits lie beyond them by the allowance.
      expect(new Big(o.factors!.marketability.buyTouched).eq(buy!.worst)).toBe(true);
      expect(new Big(o.factors!.marketability.sellTouched).eq(sell!.worst)).toBe(true);
      expect(new Big(o.buy.limitPrice).gte(buy!.worst) && new Big(o.sell.limitPrice).lte(sell!.worst)).toBe(true);
      // Both legs filled entirely at their limits would still clear minProfitUsd (0.10).
      expect(new Big(o.factors!.marketability.netAtLimitsQuote).gte('0.10')).toBe(true);
      expect(buy!.vwap.minus(o.buy.vwap).abs().lt('0.000001')).toBe(true);
      expect(sell!.vwap.minus(o.sell.vwap).abs().lt('0.000001')).toBe(true);
      const profit = sell!.vwap.times(size).times(new Big(1).minus(FEES.binance)).minus(buy!.vwap.times(size).times(new Big(1).plus(FEES.coinbase)));
      expect(profit.minus(o.profitQuote).abs().lt('0.0001')).toBe(true);
      expect(buy!.vwap.times(size).lte('5000')).toBe(true); // riskLimitPerTrade
    }
  }, 30_000);

  it('a 4 bps jump (below fees plus the profit threshold) publishes nothing for that route', async () => {
    await sleep(1500); // the previous dislocation is over
    const t0 = Date.now();
    await dislocate({ symbol: 'ETH-USDT', venue: 'coinbase', bps: 4, durationMs: 2000 });
    await sleep(2000);
    expect(opps.filter((x) => x.at >= t0 && x.o.symbol === 'ETH-USDT')).toEqual([]);
  }, 30_000);
});
