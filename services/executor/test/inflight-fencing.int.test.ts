import { redisKeys } from '@arb/contracts';
import { startRedis, type RedisHandle } from '@arb/testkit';
import { RedisSemaphore } from '../src/coordination';
import { holderId, tradeKey } from '../src/ids';
import type { InflightRecord } from '../src/inflight/record';
import { HEARTBEAT_FIELD, InflightStore } from '../src/inflight/store';
import { Clients, delay } from './coordination-helpers';
import { makeOpp } from './opportunity';

let redis: RedisHandle;
const clients = new Clients();
const SEM = 'fence-test';

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

function recordOf(executorId: string): InflightRecord {
  const opp = makeOpp();
  const key = tradeKey(opp.id);
  return {
    v: 1, executorId, tradeKey: key, holder: holderId(executorId, key), fencingToken: null, receivedTs: 1, sentTs: 1, opp, reservations: [],
    legs: [{ role: 'buy', tag: 'b', venue: 'binance', symbol: opp.symbol, side: 'buy', qty: '0.1', limitPrice: '65000', clientOrderId: `${key}-b` }],
  };
}

const withLeg = (r: InflightRecord, tag: 'h1' | 'u1'): InflightRecord => ({
  ...r,
  legs: [...r.legs, { role: tag === 'h1' ? 'hedge' : 'unwind', tag, venue: 'coinbase', symbol: r.opp.symbol, side: 'buy', qty: '0.1', limitPrice: '65100', clientOrderId: `${r.tradeKey}-${tag}` }],
});

describe('in-flight records: fencing and take-over', () => {
  it('the owner writes its record until another executor takes it over; from then on its writes fail (fenced)', async () => {
    const c = clients.one(redis.url);
    const a = new InflightStore(c, 'exec-a', SEM);
    const b = new InflightStore(c, 'exec-b', SEM);
    const r = recordOf('exec-a');
    await a.put(r);
    await a.heartbeat(200);
    expect(await a.update(withLeg(r, 'h1'))).toBe(true);
    expect(await b.takeOver(a.key, 200)).toBeNull(); // heartbeat live
    await delay(250);
    const moved = await b.takeOver(a.key, 200);
    expect(moved?.map((j) => (JSON.parse(j) as InflightRecord).legs.map((l) => l.tag))).toEqual([['b', 'h1']]);
    // The paused owner comes back: nothing it writes or deletes lands, and the record stays with the taker.
    expect(await a.update(withLeg(r, 'u1'))).toBe(false);
    expect(await a.remove(r.opp.id)).toBe(false);
    await a.heartbeat(200); // its heartbeat re-creates its key: no record in it
    expect([...(await a.own()).keys()]).toEqual([]);
    expect([...(await b.own()).keys()]).toEqual([r.opp.id]);
    expect(await b.update(withLeg(r, 'u1'))).toBe(true);
    expect(await b.remove(r.opp.id)).toBe(true);
  });

  it('a trade whose semaphore lease is still live is not taken over, even with the heartbeat expired', async () => {
    const c = clients.one(redis.url);
    const sem = new RedisSemaphore(c, { name: SEM, limit: 5, leaseMs: 600 });
    const a = new InflightStore(c, 'exec-a', SEM);
    const b = new InflightStore(c, 'exec-b', SEM);
    const leased = recordOf('exec-a');
    const free = recordOf('exec-a');
    const lease = await sem.acquire(leased.holder);
    expect(lease).not.toBeNull();
    await Promise.all([a.put(leased), a.put(free), a.heartbeat(50)]);
    await delay(100);
    const first = await b.takeOver(a.key, 50);
    expect(first?.map((j) => (JSON.parse(j) as InflightRecord).opp.id)).toEqual([free.opp.id]);
    expect(await a.update(leased)).toBe(true); // still its own
    await delay(650); // the lease expires
    expect((await b.takeOver(a.key, 50))?.map((j) => (JSON.parse(j) as InflightRecord).opp.id)).toEqual([leased.opp.id]);
    expect(await c.exists(a.key)).toBe(0); // nothing left: the dead executor's key is gone
  });

  it('a key with records but no heartbeat (Redis lost data, a write re-created the key) is not taken as dead at once', async () => {
    const c = clients.one(redis.url);
    const a = new InflightStore(c, 'exec-a', SEM);
    const b = new InflightStore(c, 'exec-b', SEM);
    const r = recordOf('exec-a');
    await a.put(r);
    expect(await c.hexists(a.key, HEARTBEAT_FIELD)).toBe(0);
    expect(await b.takeOver(a.key, 300)).toBeNull(); // starts the clock
    expect(await c.hexists(a.key, HEARTBEAT_FIELD)).toBe(1);
    await a.heartbeat(300); // a live owner's heartbeat keeps it
    expect(await b.takeOver(a.key, 300)).toBeNull();
    await delay(350); // a dead owner's key is taken a TTL later
    expect(await b.takeOver(a.key, 300)).toHaveLength(1);
  });

  it('after Redis lost every key nobody can write the record again: the owner is fenced, the others find nothing', async () => {
    const c = clients.one(redis.url);
    const a = new InflightStore(c, 'exec-a', SEM);
    const b = new InflightStore(c, 'exec-b', SEM);
    const r = recordOf('exec-a');
    await a.put(r);
    await a.heartbeat(100);
    await c.flushall();
    expect(await a.update(withLeg(r, 'h1'))).toBe(false);
    expect(await c.exists(a.key)).toBe(0); // the failed write did not re-create it
    await a.heartbeat(100);
    await delay(150);
    expect(await b.takeOver(a.key, 100)).toEqual([]);
  });

  it('a record Redis lost is written back only by an owner whose heartbeat never lapsed (so nobody can have taken it)', async () => {
    const c = clients.one(redis.url);
    let t = 1_000;
    const a = new InflightStore(c, 'exec-a', SEM, 'inst-a', () => t);
    const r = recordOf('exec-a');
    await a.heartbeat(1_000); // the process's first heartbeat: a lapse by definition (nothing before it)
    t += 10;
    await a.put(r);
    const owned = t;
    t += 300;
    await a.heartbeat(1_000);
    await c.flushall();
    expect(await a.update(withLeg(r, 'h1'))).toBe(false);
    expect(await a.recreate(withLeg(r, 'h1'), owned)).toBe('no-heartbeat'); // lost with the data: wait for the next
    t += 300;
    await a.heartbeat(1_000);
    expect(await a.recreate(withLeg(r, 'h1'), owned)).toBe('written');
    expect(await a.update(withLeg(r, 'u1'))).toBe(true);
    // A heartbeat that came late (the process was frozen): a take-over was possible, so it must not write back.
    t += 900;
    await a.heartbeat(1_000);
    await c.flushall();
    await a.heartbeat(1_000);
    expect(await a.recreate(r, owned)).toBe('fenced');
    // Nor when the record is there, stamped by someone else.
    await new InflightStore(c, 'exec-a', SEM, 'inst-b').put(r);
    t += 100;
    await a.heartbeat(1_000);
    expect(await a.recreate(r, t)).toBe('fenced');
  });

  it('claim re-stamps a record for the claimer (an older process of the same id is fenced) with a strictly newer token', async () => {
    const c = clients.one(redis.url);
    const old = new InflightStore(c, 'exec-a', SEM, 'old-instance');
    const now = new InflightStore(c, 'exec-a', SEM, 'new-instance');
    const r = recordOf('exec-a');
    await old.put(r);
    const sem = new RedisSemaphore(c, { name: SEM, limit: 5, leaseMs: 1000 });
    const leaseToken = (await sem.acquire('someone'))?.token ?? 0;
    const first = await now.claim(r.opp.id);
    const second = await now.claim(r.opp.id);
    expect(first?.json).toBe(JSON.stringify(r));
    expect(first?.token).toBeGreaterThan(leaseToken);
    expect(second?.token).toBeGreaterThan(first?.token ?? Number.POSITIVE_INFINITY);
    expect(await old.update(r)).toBe(false);
    expect(await now.update(r)).toBe(true);
    expect(await now.claim('no-such-opp')).toBeNull();
    expect(await now.putIfAbsent(r)).toBe(false);
    expect(await now.remove(r.opp.id)).toBe(true);
    expect(await now.putIfAbsent(r)).toBe(true);
    expect(await c.hget(redisKeys.inflight('exec-a'), r.opp.id)).toBe(JSON.stringify(r));
  });
});
