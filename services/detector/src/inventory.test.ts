import { ConfigInventory, RedisInventory, type InventoryClient } from './inventory';

describe('ConfigInventory', () => {
  it('returns configured balances exactly, 0 when absent', () => {
    const inv = new ConfigInventory({ a: { BTC: '1.00000001', USDT: '5000' } });
    expect(inv.available('a', 'BTC').toString()).toBe('1.00000001');
    expect(inv.available('a', 'ETH').toString()).toBe('0');
    expect(inv.available('b', 'BTC').toString()).toBe('0');
  });
});

describe('RedisInventory (cached, polled)', () => {
  const fake = (hashes: Record<string, unknown>, status = 'ready') => {
    const calls: string[] = [];
    const client: InventoryClient & { status: string } = {
      status,
      pipeline: () => {
        const keys: string[] = [];
        return {
          hget: (key, field) => keys.push(`${key}#${field}`),
          exec: async () => {
            calls.push(keys.join(','));
            return keys.map((k): [Error | null, unknown] => [null, hashes[k] ?? null]);
          },
        };
      },
    };
    return { client, calls };
  };

  it('reads tracked balances in one pipeline, serves them from memory, keeps them while Redis is down', async () => {
    const { client, calls } = fake({ 'arb:inv:a:BTC#available': '0.5', 'arb:inv:a:USDT#available': 'garbage' });
    const results: boolean[] = [];
    const inv = new RedisInventory({ client, refreshMs: 1000, onRefresh: (ok) => results.push(ok) });
    inv.track('a', 'BTC');
    inv.track('a', 'USDT');
    inv.track('a', 'BTC');
    inv.track('b', 'BTC');
    expect(inv.available('a', 'BTC').toString()).toBe('0');
    await inv.refresh();
    expect(calls).toEqual(['arb:inv:a:BTC#available,arb:inv:a:USDT#available,arb:inv:b:BTC#available']);
    expect(inv.available('a', 'BTC').toString()).toBe('0.5');
    expect(inv.available('a', 'USDT').toString()).toBe('0');
    expect(inv.available('b', 'BTC').toString()).toBe('0');
    expect(results).toEqual([false]); // the garbage value
    client.status = 'reconnecting';
    await inv.refresh();
    expect(calls).toHaveLength(1);
    expect(inv.available('a', 'BTC').toString()).toBe('0.5');
    await inv.stop();
  });
});
