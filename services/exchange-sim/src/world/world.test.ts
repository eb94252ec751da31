import Big from 'big.js';
import type { VenueName } from '../model/market';
import { CALM, WorldFixture, exactWindow } from '../../test/world-fixture';

const RIVALS_OFF = { rivals: { enabled: false } };
/** Rivals that always react in exactly 100 ms (the timing of each test is then known to the step). */
const RIVALS_100MS = { rivals: { reaction: { distribution: 'fixed', medianMs: 100 } } };

describe('SimWorld: windows (ground truth)', () => {
  it('a dislocation opens exactly one window, in the crossed direction, equal to an exact walk of the true books', () => {
    const f = new WorldFixture({ ...CALM, ...RIVALS_OFF });
    f.step(5);
    expect(f.windows()).toHaveLength(0);
    f.market.dislocate('binance', 'BTC-USDT', 30, 1000);
    f.stepUntil(() => f.world.windows.openCount > 0, 10, 'window open');
    f.step(20);
    const ws = f.windows();
    expect(ws).toHaveLength(1);
    const w = ws[0] as (typeof ws)[number];
    expect(w).toMatchObject({ symbol: 'BTC-USDT', buyVenue: 'coinbase', sellVenue: 'binance', cause: 'dislocate', open: true });
    expect(w.fees).toEqual({ buy: '0.0003', sell: '0.0002', buyFeeIn: 'quote' });
    for (const snap of [w.atOpen, w.best]) {
      const buy = f.levelsAt('coinbase', snap.buyUpdateId);
      const sell = f.levelsAt('binance', snap.sellUpdateId);
      const x = exactWindow(buy.asks, sell.bids, '0.0003', false, '0.0002');
      expect(snap.size).toBe(x.size.toFixed());
      expect(snap.profitQuote).toBe(x.profit.toFixed());
      expect(snap.edgeBps).toBe(Number(x.edgeBps.toFixed(4)));
      expect(snap.buyPrice).toBe(buy.asks[0]?.[0]);
      expect(snap.sellPrice).toBe(sell.bids[0]?.[0]);
    }
    // 30 bps jump, 5 bps of fees, sub-bps spreads: about 24-25 bps net.
    expect(w.best.edgeBps).toBeGreaterThan(23);
    expect(w.best.edgeBps).toBeLessThan(26);
    // Without rivals the window lives until the followers' hold ends (1000 ms), then the lag closes it.
    f.stepUntil(() => f.world.windows.openCount === 0, 200, 'window closed');
    const closed = f.windows()[0];
    expect(closed).toMatchObject({ open: false, closeReason: 'convergence', closedBy: null });
    expect(closed?.durationModelMs).toBeGreaterThanOrEqual(1000);
    expect(f.windows()).toHaveLength(1);
    expect(f.world.windows.counters).toMatchObject({ opened: 1, closed: 1, byCause: { dislocate: 1, jump: 0, noise: 0 }, byClose: { convergence: 1 } });
  });

  it('a downward dislocation opens the other direction; binance buys are charged in base (fee factors 1 / 1-fs-fb)', () => {
    const f = new WorldFixture({ ...CALM, ...RIVALS_OFF });
    f.market.dislocate('binance', 'BTC-USDT', -30, 500);
    f.step(3);
    const [w] = f.windows();
    expect(w).toMatchObject({ buyVenue: 'binance', sellVenue: 'coinbase', fees: { buy: '0.0002', sell: '0.0003', buyFeeIn: 'base' } });
    if (!w) return;
    const x = exactWindow(f.levelsAt('binance', w.best.buyUpdateId).asks, f.levelsAt('coinbase', w.best.sellUpdateId).bids, '0.0002', true, '0.0003');
    expect(w.best.profitQuote).toBe(x.profit.toFixed());
    expect(w.best.size).toBe(x.size.toFixed());
  });

  it('records noise-made windows (noise wider than fees + spreads)', () => {
    const noisy = { noiseBps: 8, spreadBps: 0.2, lagMs: 10 };
    const f = new WorldFixture({ jumps: { perMinute: 0 }, venues: { binance: noisy, coinbase: noisy }, ...RIVALS_OFF });
    f.step(3000);
    const ws = f.windows();
    expect(ws.length).toBeGreaterThan(5);
    expect(ws.every((w) => w.cause === 'noise')).toBe(true);
    expect(new Set(ws.map((w) => `${w.symbol} ${w.buyVenue}`)).size).toBeGreaterThan(2);
    expect(ws.filter((w) => !w.open).every((w) => w.closeReason === 'convergence')).toBe(true);
    expect(ws.every((w) => w.best.edgeBps >= w.atOpen.edgeBps && w.atOpen.edgeBps > 0 && new Big(w.best.profitQuote).gt(0))).toBe(true);
  });

  it("attributes the model's own jumps", () => {
    const f = new WorldFixture({ jumps: { perMinute: 600, minBps: 20, maxBps: 30, minDelayMs: 300, maxDelayMs: 500 }, ...RIVALS_OFF });
    f.step(1000);
    const causes = new Set(f.windows().map((w) => w.cause));
    expect(causes.has('jump')).toBe(true);
    expect(causes.has('dislocate')).toBe(false);
  });

  it('keeps a bounded ring of windows while the counters keep counting', () => {
    const noisy = { noiseBps: 8, spreadBps: 0.2, lagMs: 10 };
    const f = new WorldFixture({ jumps: { perMinute: 0 }, venues: { binance: noisy, coinbase: noisy }, windows: { capacity: 10 }, ...RIVALS_OFF });
    f.step(3000);
    expect(f.windows()).toHaveLength(10);
    expect(f.world.windows.ring.total).toBeGreaterThan(10);
    expect(f.world.windows.counters.opened).toBe(f.world.windows.ring.total);
    const ids = f.windows().map((w) => w.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids[9]).toBe(f.world.windows.ring.total);
  });

  it("records the accounts that trade into a window, and an account's order that clears it closes it", () => {
    const f = new WorldFixture({ ...CALM, ...RIVALS_OFF });
    f.market.dislocate('binance', 'BTC-USDT', 30, 5000);
    f.step(3);
    const [w0] = f.windows();
    if (!w0) throw new Error('no window');
    const part = f.ioc('coinbase', 'buy', '0.01', w0.atOpen.buyPrice);
    expect(part.filledQty.toFixed()).toBe('0.01');
    f.ioc('binance', 'sell', '0.01', w0.atOpen.sellPrice);
    f.ioc('binance', 'buy', '0.01', f.bestAsk('binance').toFixed()); // not into the window: buying the dear venue
    const [w1] = f.windows();
    expect(w1?.open).toBe(true);
    expect(w1?.traders.map((t) => [t.venue, t.side, t.qty, t.account])).toEqual([
      ['coinbase', 'buy', '0.01', 'acct-1'],
      ['binance', 'sell', '0.01', 'acct-1'],
    ]);
    // Buying every crossed ask on coinbase clears the window: closed by the account, and coinbase converges.
    const oldAsk = f.bestAsk('coinbase');
    f.ioc('coinbase', 'buy', '100', new Big(w0.atOpen.sellPrice).toFixed(2));
    const [w2] = f.windows();
    expect(w2).toMatchObject({ open: false, closeReason: 'account', closedBy: { venue: 'coinbase', account: 'acct-1' } });
    f.step(2);
    expect(f.bestAsk('coinbase').div(oldAsk).minus(1).times(10000).toNumber()).toBeGreaterThan(25);
    expect(f.world.windows.openCount).toBe(0);
  });
});

describe('SimWorld: rivals (competition)', () => {
  it('sweep the mispriced liquidity after their reaction time, through the books, and close the window', () => {
    const f = new WorldFixture({ ...CALM, ...RIVALS_100MS });
    f.market.dislocate('binance', 'BTC-USDT', 30, 5000);
    f.stepUntil(() => f.world.windows.openCount > 0, 10);
    const openAt = f.market.now;
    const cbId = f.book('coinbase').book.updateId;
    f.stepUntil(() => f.world.windows.openCount === 0, 50, 'rival sweep');
    const [w] = f.windows();
    expect(w).toMatchObject({ closeReason: 'rival', closedBy: null, openModelMs: openAt, closeModelMs: openAt + 100 });
    expect(w?.rivalSweeps).toHaveLength(1);
    expect(w?.rivalSweeps[0]).toMatchObject({ modelMs: openAt + 100, reactionMs: 100 });
    expect(new Big(w?.rivalSweeps[0]?.buyQty ?? 0).gt(0)).toBe(true);
    // The sweep is ONE book change on coinbase: exactly buyQty left the asks at or below the rival's limit.
    const sweep = w?.rivalSweeps[0];
    const depthTo = (asks: Array<[string, string]>, limit: string) => asks.filter(([p]) => new Big(p).lte(limit)).reduce((s, [, q]) => s.plus(q), new Big(0));
    const before = f.levelsAt('coinbase', cbId).asks;
    const after = f.levelsAt('coinbase', cbId + 1).asks;
    expect(depthTo(before, sweep?.buyLimit ?? '0').minus(depthTo(after, sweep?.buyLimit ?? '0')).toFixed()).toBe(sweep?.buyQty);
    expect(f.world.rivals.counters).toMatchObject({ scheduled: 1, sweeps: 1, missed: 0, fills: { binance: 1, coinbase: 1 } });
    f.step(100);
    expect(f.windows()).toHaveLength(1);
  });

  it('take only what is profitable after their own fees, and only a share of it when configured', () => {
    const f = new WorldFixture({ ...CALM, rivals: { takerFee: { coinbase: '0.01' }, reaction: { distribution: 'fixed', medianMs: 50 } } });
    f.market.dislocate('binance', 'BTC-USDT', 30, 1000);
    f.step(30);
    // 100 bps rival fee on coinbase: a 30 bps window is not worth it to them; it closes by convergence.
    expect(f.world.rivals.counters.sweeps).toBe(0);
    f.step(150);
    expect(f.windows()[0]?.closeReason).toBe('convergence');

    const half = new WorldFixture({ ...CALM, rivals: { share: 0.5, reaction: { distribution: 'fixed', medianMs: 50 } } });
    half.market.dislocate('binance', 'BTC-USDT', 30, 5000);
    half.step(8);
    expect(half.world.rivals.counters.sweeps).toBe(1);
    expect(half.windows()[0]?.open).toBe(true);
    half.stepUntil(() => half.world.windows.openCount === 0, 400);
    expect(half.world.rivals.counters.sweeps).toBeGreaterThan(1);
    expect(half.windows()[0]?.closeReason).toBe('rival');
  });

  it('an order sent at once fills; one sent after the reaction time misses; without rivals both fill', () => {
    const run = (patch: Record<string, unknown>) => {
      const f = new WorldFixture({ ...CALM, ...patch });
      f.market.dislocate('binance', 'BTC-USDT', 30, 5000);
      f.stepUntil(() => f.world.windows.openCount > 0, 10);
      const ask = f.windows()[0]?.atOpen.buyPrice ?? '';
      const early = f.ioc('coinbase', 'buy', '0.01', ask);
      f.step(30); // 300 ms: well after the 100 ms reaction
      const late = f.ioc('coinbase', 'buy', '0.01', ask);
      return { early: early.filledQty.toFixed(), late: late.filledQty.toFixed() };
    };
    expect(run(RIVALS_100MS)).toEqual({ early: '0.01', late: '0' });
    expect(run(RIVALS_OFF)).toEqual({ early: '0.01', late: '0.01' });
  });

  it('can be switched off per symbol', () => {
    const f = new WorldFixture({ ...CALM, rivals: { reaction: { distribution: 'fixed', medianMs: 50 }, symbols: { 'ETH-USDT': { enabled: false } } } });
    f.market.dislocate('binance', 'BTC-USDT', 30, 3000);
    f.market.dislocate('binance', 'ETH-USDT', 30, 3000);
    f.step(50);
    const bySymbol = Object.fromEntries(f.windows().map((w) => [w.symbol, w]));
    expect(bySymbol['BTC-USDT']?.closeReason).toBe('rival');
    expect(bySymbol['ETH-USDT']?.open).toBe(true);
    expect(bySymbol['ETH-USDT']?.rivalSweeps).toHaveLength(0);
  });
});

describe('SimWorld: adverse selection (convergence)', () => {
  /**
   * The case that hurt: buy on the cheap venue + sell on the dear one; a rival beats us to the cheap ask; our sell
   * fills; the buy is completed afterwards (hedge). Returns what the hedge paid over the planned buy price, in bps,
   * and the window's gross edge.
   */
  const hedgeCost = (patch: Record<string, unknown>): { hedgeBps: number; grossBps: number; sold: string } => {
    const f = new WorldFixture({ ...CALM, ...patch });
    f.market.dislocate('binance', 'BTC-USDT', 30, 5000);
    f.stepUntil(() => f.world.windows.openCount > 0, 10);
    const w = f.windows()[0];
    if (!w) throw new Error('no window');
    f.step(30); // 300 ms later
    const sell = f.ioc('binance', 'sell', '0.05', w.atOpen.sellPrice);
    const plannedBuy = new Big(w.atOpen.buyPrice);
    const hedge = f.ioc('coinbase', 'buy', '0.05', plannedBuy.times(1.01).toFixed(2));
    const avg = hedge.filledQuote.div(hedge.filledQty);
    return {
      hedgeBps: avg.div(plannedBuy).minus(1).times(10000).toNumber(),
      grossBps: new Big(w.atOpen.sellPrice).div(plannedBuy).minus(1).times(10000).toNumber(),
      sold: sell.filledQty.toFixed(),
    };
  };

  it('after a rival closes the window the lagging venue quotes the fair price: a late hedge pays about the edge', () => {
    const r = hedgeCost(RIVALS_100MS);
    expect(r.sold).toBe('0.05');
    expect(r.grossBps).toBeGreaterThan(28);
    expect(r.hedgeBps).toBeGreaterThan(0.85 * r.grossBps);
    expect(r.hedgeBps).toBeLessThan(1.15 * r.grossBps);
  });

  it('without competition the missed side never moves (the kind simulator this replaces)', () => {
    const r = hedgeCost(RIVALS_OFF);
    expect(r.sold).toBe('0.05');
    expect(Math.abs(r.hedgeBps)).toBeLessThan(1);
  });
});

describe('SimWorld: determinism', () => {
  const scenario = (seed: number) => {
    const f = new WorldFixture({ seed, jumps: { perMinute: 60, minBps: 15, maxBps: 40, minDelayMs: 200, maxDelayMs: 800 } });
    f.step(50);
    f.market.dislocate('coinbase', 'ETH-USDT', -25, 1500);
    f.step(3);
    const w = f.windows().at(-1);
    if (w?.open) f.ioc(w.buyVenue as VenueName, 'buy', '0.01', w.atOpen.buyPrice, w.symbol);
    f.step(1500);
    f.market.dislocate('binance', 'BTC-USDT', 35, 2000, f.market.now + 250);
    f.step(500);
    return f;
  };

  it('the same seed and inputs record the same windows and rival timings; another seed differs', () => {
    const a = scenario(11);
    const b = scenario(11);
    const c = scenario(12);
    expect(a.windows().length).toBeGreaterThan(3);
    expect(a.windows().some((w) => w.rivalSweeps.length > 0)).toBe(true);
    expect(b.windows()).toEqual(a.windows());
    expect(b.world.rivals.counters).toEqual(a.world.rivals.counters);
    const reactions = (f: WorldFixture) => f.windows().flatMap((w) => w.rivalSweeps.map((s) => s.reactionMs));
    expect(reactions(c)).not.toEqual(reactions(a));
  });
});
