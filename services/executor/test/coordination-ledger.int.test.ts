import Big from 'big.js';
import { redisKeys } from '@arb/contracts';
import { startRedis, type RedisHandle } from '@arb/testkit';
import { IdempotencyGuard, InvalidAmountError, InvalidHolderError, InventoryLedger, RouteLock } from '../src/coordination';
import { DECIMAL_LUA } from '../src/coordination/decimal-lua';
import { RESERVE, SET_BALANCE, SETTLE } from '../src/coordination/inventory-scripts';
import { Clients, delay } from './coordination-helpers';

const SCRIPTS = { RESERVE, SETTLE, SET_BALANCE };

let redis: RedisHandle;
const clients = new Clients();

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await clients.closeAll();
});
afterAll(async () => {
  await redis.stop();
});

function randomDecimal(): string {
  const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
  const int = digits(Math.floor(Math.random() * 25)) || '0';
  const frac = digits(Math.floor(Math.random() * 25));
  const sign = Math.random() < 0.4 ? '-' : '';
  return `${sign}${int}${frac === '' ? '' : `.${frac}`}`;
}

function plain(b: Big): string {
  return b.eq(0) ? '0' : b.toFixed();
}

describe('Lua decimal arithmetic', () => {
  it('adds, subtracts and compares exactly like big.js (2,000 random pairs incl. signs, zeros, 50-digit values)', async () => {
    const c = clients.one(redis.url);
    const pairs: [string, string][] = Array.from({ length: 2_000 }, () => [randomDecimal(), randomDecimal()]);
    pairs.push(['0.1', '0.2'], ['-0', '0.000'], ['1.10', '-1.1'], ['99999999999999999999.99999999', '0.00000001'], ['0', '-5']);
    const script = `${DECIMAL_LUA}
local out = {}
for i = 1, #ARGV, 2 do
  local x, y = dparse(ARGV[i], 'x'), dparse(ARGV[i + 1], 'y')
  out[#out + 1] = dfmt(dadd(x, y))
  out[#out + 1] = dfmt(dsub(x, y))
  out[#out + 1] = tostring(dcmp(x, y))
  out[#out + 1] = dfmt(dmin(x, y))
end
return out`;
    const reply = (await c.eval(script, 0, ...pairs.flat())) as string[];
    pairs.forEach(([a, b], i) => {
      const x = new Big(a);
      const y = new Big(b);
      expect([a, b, reply[4 * i], reply[4 * i + 1], reply[4 * i + 2], reply[4 * i + 3]]).toEqual([
        a,
        b,
        plain(x.plus(y)),
        plain(x.minus(y)),
        String(x.cmp(y)),
        plain(x.lte(y) ? x : y),
      ]);
    });
    expect(reply[4 * 2_000]).toBe('0.3');
  });

  it('rejects malformed decimals with a script error', async () => {
    const c = clients.one(redis.url);
    const script = `${DECIMAL_LUA}\nreturn dfmt(dparse(ARGV[1], 'x'))`;
    for (const bad of ['', '1e5', '.5', '1.2.3', ' 1', '+1', 'x', '1'.repeat(81)]) {
      await expect(c.eval(script, 0, bad)).rejects.toThrow(/invalid decimal/);
    }
    expect(await c.eval(script, 0, '007.500')).toBe('7.5');
  });
});

describe('InventoryLedger (real Redis)', () => {
  it('reserves exactly: 0.1 + 0.1 + 0.1 of 0.3, then nothing more', async () => {
    const c = clients.one(redis.url);
    const inv = new InventoryLedger(c);
    await c.script('FLUSH');
    await inv.prepare();
    expect(await c.script('EXISTS', ...(['RESERVE', 'SETTLE', 'SET_BALANCE'] as const).map((n) => SCRIPTS[n].sha))).toEqual([1, 1, 1]);
    await inv.set('sim-a', 'BTC', '0.3');
    for (let i = 0; i < 3; i++) expect(await inv.reserve('sim-a', 'BTC', '0.1')).toBe(true);
    expect(await inv.reserve('sim-a', 'BTC', '0.00000001')).toBe(false);
    expect(await inv.get('sim-a', 'BTC')).toEqual({ available: '0', reserved: '0.3' });
    expect(await inv.release('sim-a', 'BTC', '0.2')).toBe('0.2');
    expect(await inv.get('sim-a', 'BTC')).toEqual({ available: '0.2', reserved: '0.1' });
  });

  it('never overdraws under many concurrent reservations of 0.00000001 from 4 clients', async () => {
    const ledgers = clients.make(redis.url, 4).map((c) => new InventoryLedger(c));
    await ledgers[0]!.set('sim-b', 'BTC', '0.0000005');
    const results = await Promise.all(ledgers.flatMap((l) => Array.from({ length: 50 }, () => l.reserve('sim-b', 'BTC', '0.00000001'))));
    expect(results.filter(Boolean)).toHaveLength(50);
    expect(await ledgers[0]!.get('sim-b', 'BTC')).toEqual({ available: '0', reserved: '0.0000005' });
  });

  it('random concurrent reserve / release / settle agree exactly with a big.js model', async () => {
    const ledgers = clients.make(redis.url, 4).map((c) => new InventoryLedger(c));
    const initial = new Big('1000.123456789');
    await ledgers[0]!.set('sim-c', 'USDT', initial.toFixed());
    let sumDelta = new Big(0);
    let outstanding = new Big(0);
    let granted = new Big(0);
    let minAvailableSeen = new Big(initial);
    let rejected = 0;
    const op = async (l: InventoryLedger, i: number): Promise<void> => {
      const amount = new Big(Math.floor(Math.random() * 10_000_000_000)).div(1e8); // up to 100, 8 dp
      if (!(await l.reserve('sim-c', 'USDT', amount.toFixed(), `t${i}`))) {
        rejected++;
        return;
      }
      granted = granted.plus(amount);
      outstanding = outstanding.plus(amount);
      const seen = await l.get('sim-c', 'USDT');
      if (new Big(seen.available).lt(minAvailableSeen)) minAvailableSeen = new Big(seen.available);
      await delay(Math.random() * 3);
      if (i % 2 === 0) {
        expect(await l.release('sim-c', 'USDT', amount.toFixed(), `t${i}`)).toBe(amount.toFixed());
      } else {
        // the balance changes by a signed, 8-dp delta (a fill spends part of it or receives a little)
        const delta = amount.times(Math.random() * 0.07 - 0.05).round(8, Big.roundDown);
        sumDelta = sumDelta.plus(delta);
        expect(await l.settle('sim-c', 'USDT', amount.toFixed(), delta.toFixed(), `t${i}`)).toBe(amount.toFixed());
      }
      outstanding = outstanding.minus(amount);
    };
    const worker = async (l: InventoryLedger, w: number): Promise<void> => {
      for (let k = 0; k < 8; k++) await op(l, w * 100 + k);
    };
    await Promise.all(ledgers.flatMap((l, li) => Array.from({ length: 25 }, (_, w) => worker(l, li * 25 + w))));
    const end = await ledgers[0]!.get('sim-c', 'USDT');
    expect(outstanding.eq(0)).toBe(true);
    expect(granted.gt(initial)).toBe(true); // reservations were recycled: more than the balance was granted in total
    expect(rejected).toBeGreaterThan(0); // and the overdraw guard was exercised
    expect(minAvailableSeen.gte(0)).toBe(true);
    expect(end).toEqual({ available: plain(initial.plus(sumDelta)), reserved: '0' });
    expect(await ledgers[0]!.reservations('sim-c', 'USDT')).toEqual(new Map());
  });

  it('reserveAll is all-or-nothing across venues and adds up items on the same key', async () => {
    const inv = new InventoryLedger(clients.one(redis.url));
    await inv.set('sim-d', 'USDT', '1000');
    await inv.set('sim-e', 'BTC', '0.01');
    expect(await inv.reserveAll([{ venue: 'sim-d', asset: 'USDT', amount: '650.25' }, { venue: 'sim-e', asset: 'BTC', amount: '0.0100001' }], 'x')).toBe(false);
    expect(await inv.reserveAll([{ venue: 'sim-d', asset: 'USDT', amount: '600' }, { venue: 'sim-d', asset: 'USDT', amount: '400.01' }])).toBe(false);
    expect(await inv.get('sim-d', 'USDT')).toEqual({ available: '1000', reserved: '0' });
    expect(await inv.get('sim-e', 'BTC')).toEqual({ available: '0.01', reserved: '0' });
    expect(await inv.reserveAll([{ venue: 'sim-d', asset: 'USDT', amount: '650.25' }, { venue: 'sim-e', asset: 'BTC', amount: '0.01' }], 'x')).toBe(true);
    expect(await inv.get('sim-d', 'USDT')).toEqual({ available: '349.75', reserved: '650.25' });
    expect(await inv.get('sim-e', 'BTC')).toEqual({ available: '0', reserved: '0.01' });
    expect(await inv.reservations('sim-e', 'BTC')).toEqual(new Map([['x', '0.01']]));
    expect(await inv.reserveAll([])).toBe(true);
  });

  it('settle: reserved -= reservedAmount and the balance changes by exactly delta', async () => {
    const inv = new InventoryLedger(clients.one(redis.url));
    await inv.set('sim-f', 'USDT', '1000');
    await inv.set('sim-f', 'BTC', '0');
    expect(await inv.reserve('sim-f', 'USDT', '100.5', 'trade-1')).toBe(true);
    // bought 0.0015 BTC at 66666.6 = 99.9999 USDT, fee 0.0999999 USDT
    expect(await inv.settle('sim-f', 'USDT', '100.5', '-100.0998999', 'trade-1')).toBe('100.5');
    expect(await inv.settle('sim-f', 'BTC', '0', '0.0015', 'trade-1')).toBe('0');
    expect(await inv.get('sim-f', 'USDT')).toEqual({ available: '899.9001001', reserved: '0' });
    expect(await inv.get('sim-f', 'BTC')).toEqual({ available: '0.0015', reserved: '0' });
    expect(await inv.reservations('sim-f', 'USDT')).toEqual(new Map());
  });

  it('release and settle never return more than is reserved (or than the holder holds); no entry = no change', async () => {
    const c = clients.one(redis.url);
    const inv = new InventoryLedger(c);
    await inv.set('sim-g', 'ETH', '10');
    await inv.reserve('sim-g', 'ETH', '1', 'h1');
    await inv.reserve('sim-g', 'ETH', '2', 'h2');
    await inv.reserve('sim-g', 'ETH', '3');
    expect(await inv.reservations('sim-g', 'ETH')).toEqual(new Map([['h1', '1'], ['h2', '2']]));
    expect(await inv.release('sim-g', 'ETH', '5', 'h2')).toBe('2');
    expect(await inv.releaseHolder('sim-g', 'ETH', 'h1')).toBe('1');
    expect(await inv.releaseHolder('sim-g', 'ETH', 'h1')).toBe('0');
    expect(await inv.get('sim-g', 'ETH')).toEqual({ available: '7', reserved: '3' });
    expect(await inv.release('sim-g', 'ETH', '7')).toBe('3');
    expect(await inv.get('sim-g', 'ETH')).toEqual({ available: '10', reserved: '0' });
    expect(await inv.settle('sim-g', 'ETH', '1', '-0.5')).toBe('0');
    expect(await inv.get('sim-g', 'ETH')).toEqual({ available: '9.5', reserved: '0' });

    expect(await inv.release('sim-none', 'ETH', '1')).toBeNull();
    expect(await inv.settle('sim-none', 'ETH', '1', '5')).toBeNull();
    expect(await c.exists(redisKeys.inventory('sim-none', 'ETH'))).toBe(0);
    expect(await inv.reserve('sim-none', 'ETH', '0.1')).toBe(false); // unknown inventory is empty: fail closed
  });

  it('set keeps reservations in flight; huge and tiny values stay exact', async () => {
    const inv = new InventoryLedger(clients.one(redis.url));
    await inv.set('sim-h', 'USDT', '100');
    await inv.reserve('sim-h', 'USDT', '40');
    await inv.set('sim-h', 'USDT', '150');
    expect(await inv.get('sim-h', 'USDT')).toEqual({ available: '110', reserved: '40' });

    await inv.set('sim-i', 'SHIB', '123456789012345678901234.123456789012345678');
    expect(await inv.reserve('sim-i', 'SHIB', '1e-18')).toBe(true);
    expect(await inv.get('sim-i', 'SHIB')).toEqual({ available: '123456789012345678901234.123456789012345677', reserved: '0.000000000000000001' });
  });

  it('rejects bad arguments before touching Redis, and a corrupt stored value without changing anything', async () => {
    const c = clients.one(redis.url);
    const inv = new InventoryLedger(c);
    await expect(inv.reserve('sim-j', 'BTC', 'abc')).rejects.toThrow(InvalidAmountError);
    await expect(inv.reserve('sim-j', 'BTC', '-1')).rejects.toThrow(InvalidAmountError);
    await expect(inv.release('sim-j', 'BTC', '1', 'a|b')).rejects.toThrow(InvalidHolderError);
    await expect(inv.settle('sim-j', 'BTC', '-1', '1')).rejects.toThrow(InvalidAmountError);
    await expect(inv.set('sim:j', 'BTC', '1')).rejects.toThrow(/invalid venue/);

    await c.hset(redisKeys.inventory('sim-j', 'BTC'), 'available', '1', 'reserved', 'garbage');
    await expect(inv.reserve('sim-j', 'BTC', '0.5')).rejects.toThrow(/invalid decimal/);
    await expect(inv.settle('sim-j', 'BTC', '0.5', '1')).rejects.toThrow(/invalid decimal/);
    expect(await inv.get('sim-j', 'BTC')).toEqual({ available: '1', reserved: 'garbage' });
  });
});

describe('RouteLock (real Redis)', () => {
  it('exactly one of many concurrent lockers wins; other routes are independent', async () => {
    const locks = clients.make(redis.url, 2).map((c) => new RouteLock(c));
    const results = await Promise.all(locks.flatMap((l, li) => Array.from({ length: 50 }, (_, i) => l.tryLock('BTC-USDT', 'binance', 'coinbase', `e${li}-${i}`, 5_000))));
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    const other = await locks[0]!.tryLock('BTC-USDT', 'coinbase', 'binance', 'e0', 5_000);
    expect(other).not.toBeNull();
    expect(await winners[0]!.release()).toBe(true);
    expect(await other!.release()).toBe(true);
    const again = await locks[1]!.tryLock('BTC-USDT', 'binance', 'coinbase', 'e1', 5_000);
    expect(again).not.toBeNull();
    await again!.release();
  });

  it('only the owner releases or extends; an expired owner cannot remove the next holder', async () => {
    const lock = new RouteLock(clients.one(redis.url));
    await lock.prepare();
    const a = await lock.tryLock('ETH-USDT', 'binance', 'coinbase', 'A', 150);
    expect(await lock.tryLock('ETH-USDT', 'binance', 'coinbase', 'B', 150)).toBeNull();
    await delay(200);
    const b = await lock.tryLock('ETH-USDT', 'binance', 'coinbase', 'B', 5_000);
    expect(b).not.toBeNull();
    expect(await a!.release()).toBe(false);
    expect(await a!.extend(5_000)).toBe(false);
    expect(await lock.holderOf('ETH-USDT', 'binance', 'coinbase')).toBe(b!.value);
    expect(b!.value.startsWith('B|')).toBe(true);
    expect(await b!.release()).toBe(true);
    expect(await lock.holderOf('ETH-USDT', 'binance', 'coinbase')).toBeNull();

    const c = await lock.tryLock('ETH-USDT', 'binance', 'coinbase', 'C', 150);
    expect(await c!.extend(2_000)).toBe(true);
    await delay(250);
    expect(await lock.tryLock('ETH-USDT', 'binance', 'coinbase', 'D', 150)).toBeNull();
    expect(await c!.release()).toBe(true);
    await expect(lock.tryLock('ETH-USDT', 'binance', 'coinbase', 'D', 0)).rejects.toThrow(RangeError);
  });
});

describe('IdempotencyGuard (real Redis)', () => {
  it('claims an id once across clients, again after the TTL or forget', async () => {
    const guards = clients.make(redis.url, 2).map((c) => new IdempotencyGuard(c));
    const claims = await Promise.all(guards.flatMap((g, gi) => Array.from({ length: 50 }, () => g.claim('opp-1', 150, `exec-${gi}`))));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await guards[0]!.ownerOf('opp-1')).toMatch(/^exec-[01]$/);
    expect(await guards[1]!.claim('opp-1', 150)).toBe(false);
    await delay(200);
    expect(await guards[1]!.claim('opp-1', 5_000)).toBe(true);
    await guards[1]!.forget('opp-1');
    expect(await guards[0]!.claim('opp-1', 5_000)).toBe(true);
    expect(await guards[0]!.claim('opp-2', 5_000)).toBe(true);
    await expect(guards[0]!.claim('bad id', 5_000)).rejects.toThrow(/invalid opportunity id/);
  });
});
