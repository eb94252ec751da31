import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  BinanceTradingClient,
  binanceCredentials,
  binanceTradingSimEndpoints,
  ClockSkewError,
  CoinbaseTradingClient,
  coinbaseCredentials,
  coinbaseTradingSimEndpoints,
  dec,
  VenueAuthError,
  VenueRejectError,
  VenueTimeoutError,
  VenueUnavailableError,
  type Balance,
  type OrderState,
} from '../src';
import { binanceError as binanceErrorOf } from '../src/binance';
import { rejection, waitFor } from './trading-fake';
import { startSimProcess, type SimProcess } from './sim-process';

/** The sim accounts' client credentials: config/sim.yaml `credentials:` (throwaway sim-only keys). */
interface SimCredentials {
  binance: { apiKey: string; secretKey: string };
  coinbase: { keyName: string; privateKey: string };
}
const CREDS = (parse(readFileSync(join(__dirname, '..', '..', '..', 'config', 'sim.yaml'), 'utf8')) as { credentials: SimCredentials }).credentials;

/** A quiet market: no churn, no drift, no jumps, no noise; only our orders change the books. */
const QUIET_ENV = {
  ARB__SIM__RATE__LEVEL_UPDATES_PER_SEC: '0',
  ARB__SIM__JUMPS__PER_MINUTE: '0',
  ARB__SIM__SYMBOLS: "[{symbol: BTC-USDT, startPrice: '65000', volatilityBps: 0}, {symbol: ETH-USDT, startPrice: '3500', volatilityBps: 0}]",
  ARB__SIM__VENUES__BINANCE__NOISE_BPS: '0',
  ARB__SIM__VENUES__COINBASE__NOISE_BPS: '0',
};

interface TruthOrder extends OrderState {
  account: string;
}

let tradeSeq = 0;
/** A fresh deterministic-looking client order id `a<20 hex>-<leg>`. */
function cid(leg: string): string {
  tradeSeq++;
  return `a${(Date.now().toString(16) + tradeSeq.toString(16).padStart(6, '0')).slice(-20).padStart(20, '0')}-${leg}`;
}

describe('trading clients against the exchange simulator (real process)', () => {
  let sim: SimProcess;
  let bn: BinanceTradingClient;
  let cb: CoinbaseTradingClient;
  const bnUpdates: OrderState[] = [];
  const cbUpdates: OrderState[] = [];
  const extra: Array<BinanceTradingClient | CoinbaseTradingClient> = [];

  beforeAll(async () => {
    sim = await startSimProcess(QUIET_ENV);
    bn = new BinanceTradingClient({ ...binanceTradingSimEndpoints(sim.ports.binance), credentials: binanceCredentials(CREDS.binance.apiKey, CREDS.binance.secretKey), requestTimeoutMs: 2000 });
    cb = new CoinbaseTradingClient({
      ...coinbaseTradingSimEndpoints(sim.ports.coinbase),
      credentials: coinbaseCredentials(CREDS.coinbase.keyName, CREDS.coinbase.privateKey),
      requestTimeoutMs: 2000,
      fetchFills: true,
    });
    bn.onOrderUpdate((o) => bnUpdates.push(o));
    cb.onOrderUpdate((o) => cbUpdates.push(o));
    await Promise.all([bn.start(), cb.start()]);
    await waitFor(() => bn.streamState === 'live' && cb.streamState === 'live', 10_000, 'private streams live');
  }, 60_000);

  afterAll(async () => {
    await Promise.all([bn?.stop(), cb?.stop(), ...extra.map((c) => c.stop())]);
    await sim?.stop();
  });

  async function truth(venue: string, clientOrderId: string): Promise<TruthOrder> {
    const r = await sim.get<{ orders: TruthOrder[] }>(`/control/orders?venue=${venue}&clientOrderIdPrefix=${clientOrderId}`);
    const o = r?.orders.find((x) => x.clientOrderId === clientOrderId);
    if (o === undefined) throw new Error(`sim has no order ${clientOrderId}`);
    return o;
  }

  async function trueBalances(venue: string): Promise<Map<string, Balance>> {
    const r = await sim.get<Record<string, Array<{ balances: Balance[] }>>>(`/control/accounts?venue=${venue}`);
    return new Map((r?.[venue]?.[0]?.balances ?? []).map((b) => [b.asset, b]));
  }

  const free = (m: Map<string, Balance>, asset: string): string => m.get(asset)?.free ?? '0';

  /**
   * Our final state equals the sim's record of the order (exact decimals, every fill). Coinbase reports an IOC whose
   * remainder expired after a partial fill as CANCELLED on the wire (the sim records `expired`).
   */
  function expectMatchesTruth(s: OrderState, t: TruthOrder, withFills: boolean): void {
    expect(s.final).toBe(true);
    expect(s.venue === 'coinbase' && t.status === 'expired' && dec.cmp(t.filledQty, '0') > 0 ? 'expired' : s.status).toBe(t.status);
    expect(s.venueOrderId).toBe(t.venueOrderId);
    expect(dec.cmp(s.requestedQty, t.requestedQty)).toBe(0);
    expect(dec.cmp(s.filledQty, t.filledQty)).toBe(0);
    expect(dec.cmp(s.filledQuote, t.filledQuote)).toBe(0);
    expect(dec.cmp(s.fee, t.fee)).toBe(0);
    expect(s.feeAsset).toBe(t.feeAsset);
    if (withFills) {
      const norm = (fs: OrderState['fills']): string[] => fs.map((f) => `${f.tradeId}|${dec.canonical(f.price)}|${dec.canonical(f.qty)}|${dec.canonical(f.fee)}|${f.feeAsset}`).sort();
      expect(norm(s.fills)).toEqual(norm(t.fills));
    }
  }

  async function binanceTop(): Promise<{ bid: [string, string]; ask: [string, string] }> {
    const r = await fetch(`http://127.0.0.1:${sim.ports.binance}/api/v3/depth?symbol=BTCUSDT&limit=5`);
    const b = (await r.json()) as { bids: Array<[string, string]>; asks: Array<[string, string]> };
    return { bid: b.bids[0] as [string, string], ask: b.asks[0] as [string, string] };
  }

  async function coinbaseTop(): Promise<{ bid: [string, string]; ask: [string, string] }> {
    const r = await fetch(`http://127.0.0.1:${sim.ports.coinbase}/api/v3/brokerage/market/product_book?product_id=BTC-USDT&limit=5`);
    const b = (await r.json()) as { pricebook: { bids: Array<{ price: string; size: string }>; asks: Array<{ price: string; size: string }> } };
    const lv = (l: { price: string; size: string } | undefined): [string, string] => [l?.price ?? '0', l?.size ?? '0'];
    return { bid: lv(b.pricebook.bids[0]), ask: lv(b.pricebook.asks[0]) };
  }

  describe('Binance', () => {
    it('balances equal the true account', async () => {
      const mine = new Map((await bn.balances()).map((b) => [b.asset, b]));
      const t = await trueBalances('binance');
      for (const [asset, b] of t) {
        expect(dec.cmp(mine.get(asset)?.free ?? '0', b.free)).toBe(0);
        expect(dec.cmp(mine.get(asset)?.locked ?? '0', b.locked)).toBe(0);
      }
    });

    it('IOC buy larger than the best level: partial fill, expired remainder, exact balances, stream agrees', async () => {
      const before = await trueBalances('binance');
      const { ask } = await binanceTop();
      const id = cid('b');
      const qty = dec.floorToStep(dec.mul(ask[1], '3'), '0.00001');
      const s = await bn.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty, limitPrice: ask[0], clientOrderId: id });
      expect(s.status).toBe('expired');
      expect(dec.cmp(s.filledQty, ask[1])).toBe(0); // exactly the level at the limit price
      expect(s.feeAsset).toBe('BTC');
      expectMatchesTruth(s, await truth('binance', id), true);
      const after = await trueBalances('binance');
      expect(dec.cmp(free(after, 'BTC'), dec.sub(dec.add(free(before, 'BTC'), s.filledQty), s.fee))).toBe(0);
      expect(dec.cmp(free(after, 'USDT'), dec.sub(free(before, 'USDT'), s.filledQuote))).toBe(0);
      await waitFor(() => bnUpdates.some((u) => u.clientOrderId === id && u.final), 5000, 'stream final update');
      const streamed = bnUpdates.filter((u) => u.clientOrderId === id).at(-1) as OrderState;
      expect(streamed).toMatchObject({ status: 'expired', filledQty: s.filledQty, fee: s.fee });
    });

    it('IOC sell through the book fills completely; query and cancel of a final order return it', async () => {
      const { bid } = await binanceTop();
      const id = cid('s');
      const limit = dec.floorToStep(dec.mul(bid[0], '0.999'), '0.01');
      const s = await bn.placeIocLimit({ symbol: 'BTC-USDT', side: 'sell', qty: '0.001', limitPrice: limit, clientOrderId: id });
      expect(s).toMatchObject({ status: 'filled', filledQty: '0.001', feeAsset: 'USDT' });
      expectMatchesTruth(s, await truth('binance', id), true);
      const q = await bn.getOrder('BTC-USDT', id);
      expect(q).not.toBeNull();
      expectMatchesTruth(q as OrderState, await truth('binance', id), true);
      expect(await bn.getOrder('BTC-USDT', cid('x'))).toBeNull();
      const c = await bn.cancelOrder('BTC-USDT', id);
      expect(c.status).toBe('filled');
    });

    it('insufficient balance → VenueRejectError -2010; filters stop bad orders before sending', async () => {
      const { ask } = await binanceTop();
      const e = await rejection(bn.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty: '100', limitPrice: ask[0], clientOrderId: cid('b') }));
      expect(e).toBeInstanceOf(VenueRejectError);
      expect((e as VenueRejectError).code).toBe(-2010);
      const f = await rejection(bn.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty: '0.00001', limitPrice: '100.00', clientOrderId: cid('b') }));
      expect((f as VenueRejectError).code).toBe('FILTER_MIN_NOTIONAL');
    });

    it('bad signature → VenueAuthError -1022; unknown key → -2015; expired timestamp → ClockSkewError, and the client recovers by resyncing', async () => {
      const wrong = new BinanceTradingClient({ ...binanceTradingSimEndpoints(sim.ports.binance), credentials: binanceCredentials(CREDS.binance.apiKey, 'x'.repeat(64)) });
      const unknown = new BinanceTradingClient({ ...binanceTradingSimEndpoints(sim.ports.binance), credentials: binanceCredentials('UnknownKey0123456789', CREDS.binance.secretKey) });
      extra.push(wrong, unknown);
      expect(await rejection(wrong.balances())).toMatchObject({ name: 'VenueAuthError', code: -1022 });
      const u = await rejection(unknown.balances());
      expect(u).toBeInstanceOf(VenueAuthError);
      expect((u as VenueAuthError).code).toBe(-2015);

      // A request signed with a timestamp 10 s old (recvWindow 5000), as the venue answers it:
      const qs = `recvWindow=5000&timestamp=${Date.now() - 10_000}`;
      const sig = createHmac('sha256', CREDS.binance.secretKey).update(qs).digest('hex');
      const r = await fetch(`http://127.0.0.1:${sim.ports.binance}/api/v3/account?${qs}&signature=${sig}`, { headers: { 'X-MBX-APIKEY': CREDS.binance.apiKey } });
      const text = await r.text();
      const err = binanceErrorOf(r.status, JSON.parse(text) as unknown, text, { label: 'GET /api/v3/account', mutating: false, retryAfterMs: null, timeoutMs: 1000 });
      expect(err).toBeInstanceOf(ClockSkewError);
      expect(err).toMatchObject({ code: -1021, retryable: true });

      // The local clock drifts 10 s behind after the time sync: the first request gets -1021, the client resyncs and retries.
      const drift = new BinanceTradingClient({ ...binanceTradingSimEndpoints(sim.ports.binance), credentials: binanceCredentials(CREDS.binance.apiKey, CREDS.binance.secretKey), timeSyncIntervalMs: 0 });
      extra.push(drift);
      await drift.balances();
      const realNow = performance.now.bind(performance);
      const spy = jest.spyOn(performance, 'now').mockImplementation(() => realNow() - 10_000);
      try {
        expect((await drift.balances()).length).toBeGreaterThan(0);
        expect(drift.counters.clockResyncs).toBe(2);
        expect(drift.timeOffsetMs).toBeGreaterThan(9000);
      } finally {
        spy.mockRestore();
      }
    });

    it('venue timeout → VenueTimeoutError (outcome unknown), resolved by querying the client order id; 5xx → VenueUnavailableError', async () => {
      const { ask } = await binanceTop();
      await sim.post('/control/trading-faults', { venue: 'binance', faults: { timeoutRate: 1 } });
      const id = cid('h1');
      const errors: Error[] = [];
      const fast = new BinanceTradingClient(
        { ...binanceTradingSimEndpoints(sim.ports.binance), credentials: binanceCredentials(CREDS.binance.apiKey, CREDS.binance.secretKey), requestTimeoutMs: 500 },
        { onError: (e) => errors.push(e) },
      );
      extra.push(fast);
      try {
        const e = await rejection(fast.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty: '0.001', limitPrice: dec.floorToStep(dec.mul(ask[0], '1.001'), '0.01'), clientOrderId: id }));
        expect(e).toBeInstanceOf(VenueTimeoutError);
        expect(e).toMatchObject({ outcomeUnknown: true });
      } finally {
        await sim.post('/control/trading-faults', { venue: 'binance', reset: true });
      }
      const found = await fast.getOrder('BTC-USDT', id);
      expect(found).toMatchObject({ status: 'filled', filledQty: '0.001', final: true });
      // The query answer has no fills: the client reads them (with their commissions) from GET /api/v3/myTrades.
      expectMatchesTruth(found as OrderState, await truth('binance', id), true);
      expect(dec.cmp((found as OrderState).fee, '0')).toBe(1);
      expect(errors).toEqual([]);

      await sim.post('/control/trading-faults', { venue: 'binance', faults: { error5xxRate: 1 } });
      try {
        const e = await rejection(bn.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty: '0.001', limitPrice: ask[0], clientOrderId: cid('h2') }));
        expect(e).toBeInstanceOf(VenueUnavailableError);
        expect(e).toMatchObject({ retryable: true, outcomeUnknown: false, httpStatus: 503 });
      } finally {
        await sim.post('/control/trading-faults', { venue: 'binance', reset: true });
      }
    });
  });

  describe('Coinbase', () => {
    it('balances equal the true account', async () => {
      const mine = new Map((await cb.balances()).map((b) => [b.asset, b]));
      for (const [asset, b] of await trueBalances('coinbase')) {
        expect(dec.cmp(mine.get(asset)?.free ?? '0', b.free)).toBe(0);
        expect(dec.cmp(mine.get(asset)?.locked ?? '0', b.locked)).toBe(0);
      }
    });

    it('sor_limit_ioc buy larger than the best level: partial fill, fills and fees exact, balances exact, user channel agrees', async () => {
      const before = await trueBalances('coinbase');
      const { ask } = await coinbaseTop();
      const id = cid('b');
      const qty = dec.floorToStep(dec.mul(ask[1], '3'), '0.00000001');
      const s = await cb.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty, limitPrice: ask[0], clientOrderId: id });
      expect(s.final).toBe(true);
      expect(dec.cmp(s.filledQty, ask[1])).toBe(0);
      expect(s.feeAsset).toBe('USDT');
      expectMatchesTruth(s, await truth('coinbase', id), true);
      const after = await trueBalances('coinbase');
      expect(dec.cmp(free(after, 'BTC'), dec.add(free(before, 'BTC'), s.filledQty))).toBe(0);
      expect(dec.cmp(free(after, 'USDT'), dec.sub(dec.sub(free(before, 'USDT'), s.filledQuote), s.fee))).toBe(0);
      await waitFor(() => cbUpdates.some((u) => u.clientOrderId === id && u.final), 5000, 'user channel final update');
    });

    it('after a restart: finds an order by client order id (listing), cancel of a final order returns it, unknown → null', async () => {
      const { bid } = await coinbaseTop();
      const id = cid('s');
      const s = await cb.placeIocLimit({ symbol: 'BTC-USDT', side: 'sell', qty: '0.001', limitPrice: dec.floorToStep(dec.mul(bid[0], '0.999'), '0.01'), clientOrderId: id });
      expect(s).toMatchObject({ status: 'filled', filledQty: '0.001' });
      const fresh = new CoinbaseTradingClient({ ...coinbaseTradingSimEndpoints(sim.ports.coinbase), credentials: coinbaseCredentials(CREDS.coinbase.keyName, CREDS.coinbase.privateKey) });
      extra.push(fresh);
      const found = await fresh.getOrder('BTC-USDT', id);
      expect(fresh.counters.lookupsByList).toBe(1);
      expectMatchesTruth(found as OrderState, await truth('coinbase', id), false);
      expect((await fresh.cancelOrder('BTC-USDT', id)).status).toBe('filled');
      expect(await fresh.getOrder('BTC-USDT', cid('x'))).toBeNull();
    });

    it('insufficient funds → VenueRejectError; a key the venue does not know → VenueAuthError 401', async () => {
      const { ask } = await coinbaseTop();
      const e = await rejection(cb.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty: '100', limitPrice: ask[0], clientOrderId: cid('b') }));
      expect(e).toBeInstanceOf(VenueRejectError);
      const stranger = new CoinbaseTradingClient({
        ...coinbaseTradingSimEndpoints(sim.ports.coinbase),
        credentials: coinbaseCredentials('organizations/x/apiKeys/y', CREDS.coinbase.privateKey),
      });
      extra.push(stranger);
      expect(await rejection(stranger.balances())).toMatchObject({ name: 'VenueAuthError', httpStatus: 401 });
    });
  });
});
