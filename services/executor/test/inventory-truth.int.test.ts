import { startRedis, type RedisHandle } from '@arb/testkit';
import { InventoryLedger, RedisSemaphore } from '../src/coordination';
import { InflightStore } from '../src/inflight/store';
import { reconcileInventory, seedInventory } from '../src/inventory-sync';
import { Clients } from './coordination-helpers';
import { FakeVenue } from './fake-venue';
import { makeOpp } from './opportunity';

let redis: RedisHandle;
const clients = new Clients();
const SEM = 'inv-test';

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await clients.one(redis.url).flushall();
  await clients.closeAll();
});
afterAll(async () => {
  await redis.stop();
});

/** A venue whose balances are set by the test (free + locked). */
function venue(name: string, balances: Record<string, [string, string]>): FakeVenue {
  const v = new FakeVenue(name);
  v.balances = async () => Object.entries(balances).map(([asset, [free, locked]]) => ({ asset, free, locked }));
  return v;
}

async function balance(ledger: InventoryLedger, v: string, a: string): Promise<string> {
  const b = await ledger.get(v, a);
  return (Number(b.available) + Number(b.reserved)).toString();
}

describe('inventory ledger against the venues', () => {
  it('missing entries are seeded from total balances: an open order\'s locked funds are still the account\'s', async () => {
    const c = clients.one(redis.url);
    const ledger = new InventoryLedger(c);
    const venues = new Map([['binance', venue('binance', { BTC: ['1.5', '0.5'], USDT: ['1000', '250'] })]]);
    expect(await seedInventory(c, ledger, venues, ['BTC-USDT'])).toBe(2);
    expect(await ledger.get('binance', 'BTC')).toEqual({ available: '2', reserved: '0' });
    expect(await ledger.get('binance', 'USDT')).toEqual({ available: '1250', reserved: '0' });
  });

  it('reconciliation corrects existing entries (and leaked reservations) to the venues, only when no trade is in flight', async () => {
    const c = clients.one(redis.url);
    const ledger = new InventoryLedger(c);
    const store = new InflightStore(c, 'exec-a', SEM);
    const venues = new Map([
      ['binance', venue('binance', { BTC: ['2', '0'], USDT: ['1000', '0'] })],
      ['coinbase', venue('coinbase', { BTC: ['1', '0'], USDT: ['500', '0'] })],
    ]);
    await ledger.set('binance', 'BTC', '2.06104'); // a second unwind no report held
    await ledger.set('binance', 'USDT', '1000');
    await ledger.set('coinbase', 'BTC', '1');
    await ledger.set('coinbase', 'USDT', '500');
    expect(await ledger.reserve('coinbase', 'USDT', '10', 'dead-holder')).toBe(true); // leaked: its trade is long gone

    // A trade in flight (its record exists): nothing is touched.
    const opp = makeOpp();
    await store.put({ v: 1, executorId: 'exec-a', tradeKey: 'a0123456789abcdef0123', holder: 'h', fencingToken: null, receivedTs: 1, sentTs: 1, opp, reservations: [], legs: [] });
    expect(await reconcileInventory(c, ledger, store, venues, ['BTC-USDT'])).toEqual({ kind: 'busy' });
    expect(await balance(ledger, 'binance', 'BTC')).toBe('2.06104');
    await store.remove(opp.id);

    // A live lease (a trade between its lease and its record): busy as well.
    const sem = new RedisSemaphore(c, { name: SEM, limit: 5, leaseMs: 5_000 });
    const lease = await sem.acquire('someone');
    expect(await reconcileInventory(c, ledger, store, venues, ['BTC-USDT'])).toEqual({ kind: 'busy' });
    await lease?.release();

    const r = await reconcileInventory(c, ledger, store, venues, ['BTC-USDT']);
    expect(r).toEqual({ kind: 'done', corrections: [{ venue: 'binance', asset: 'BTC', ledger: '2.06104', venueTotal: '2' }] });
    expect(await ledger.get('binance', 'BTC')).toEqual({ available: '2', reserved: '0' });
    expect(await ledger.get('coinbase', 'USDT')).toEqual({ available: '500', reserved: '0' });
    expect(await ledger.reservations('coinbase', 'USDT')).toEqual(new Map()); // the leaked reservation is gone
  });

  it('a lease issued while the venues were being asked makes the correction wait (fence changed)', async () => {
    const c = clients.one(redis.url);
    const ledger = new InventoryLedger(c);
    const store = new InflightStore(c, 'exec-a', SEM);
    const sem = new RedisSemaphore(c, { name: SEM, limit: 5, leaseMs: 50 });
    const slow = venue('binance', { BTC: ['3', '0'], USDT: ['1', '0'] });
    const balances = slow.balances.bind(slow);
    slow.balances = async () => {
      await sem.acquire('sneaky'); // a trade starts while we read the venue
      return balances();
    };
    await ledger.set('binance', 'BTC', '1');
    await new Promise((r) => setTimeout(r, 60)); // its lease expires, but the fence moved
    expect(await reconcileInventory(c, ledger, store, new Map([['binance', slow]]), ['BTC-USDT'])).toEqual({ kind: 'busy' });
    expect(await balance(ledger, 'binance', 'BTC')).toBe('1');
  });

  it('a trade is settled exactly once, by whichever executor comes first', async () => {
    const c = clients.one(redis.url);
    const ledger = new InventoryLedger(c);
    await ledger.set('binance', 'USDT', '1000');
    await ledger.set('binance', 'BTC', '0');
    await ledger.set('coinbase', 'BTC', '1');
    expect(await ledger.reserveAll([{ venue: 'binance', asset: 'USDT', amount: '650' }, { venue: 'coinbase', asset: 'BTC', amount: '0.01' }], 'trade-1')).toBe(true);
    const items = [
      { venue: 'binance', asset: 'USDT', reserved: '650', delta: '-649.5' },
      { venue: 'binance', asset: 'BTC', reserved: '0', delta: '0.01' },
      { venue: 'coinbase', asset: 'BTC', reserved: '0.01', delta: '-0.01' },
    ];
    expect(await ledger.settleTrade('trade-1', items)).toBe(true);
    expect(await ledger.settleTrade('trade-1', items)).toBe(false); // the taker of a paused trade, after the owner
    expect(await ledger.get('binance', 'USDT')).toEqual({ available: '350.5', reserved: '0' });
    expect(await ledger.get('binance', 'BTC')).toEqual({ available: '0.01', reserved: '0' });
    expect(await ledger.get('coinbase', 'BTC')).toEqual({ available: '0.99', reserved: '0' });
  });
});
