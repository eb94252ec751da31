import { join } from 'node:path';
import { loadConfig } from '@arb/service-kit';
import { SymbolPartition } from '@arb/domain';
import { FeedIngestorConfig } from './config';
import { FeedShardError, ownedSymbols } from './shard';

const CONFIG_DIR = join(__dirname, '../../../config');
const load = (env: Record<string, string>) => loadConfig(FeedIngestorConfig, { dir: CONFIG_DIR, mode: 'sim', env });
const SIX = '[BTC-USDT, ETH-USDT, SOL-USDT, ADA-USDT, XRP-USDT, DOT-USDT]';

describe('feed-ingestor config: symbol shards', () => {
  it('defaults to one replica serving every symbol', () => {
    const cfg = load({});
    expect(cfg.feed.partition).toEqual({ index: 0, count: 1 });
    expect(cfg.feed.symbols).toBeUndefined();
    expect(ownedSymbols(cfg)).toEqual(cfg.symbols);
  });

  it('takes index/count from the environment; the shards of all replicas are disjoint and cover every symbol', () => {
    const shards = [0, 1, 2].map((index) =>
      ownedSymbols(load({ ARB__SYMBOLS: SIX, ARB__FEED__PARTITION__INDEX: String(index), ARB__FEED__PARTITION__COUNT: '3' })),
    );
    const all = shards.flat();
    expect([...all].sort()).toEqual(['ADA-USDT', 'BTC-USDT', 'DOT-USDT', 'ETH-USDT', 'SOL-USDT', 'XRP-USDT']);
    expect(new Set(all).size).toBe(all.length);
    // The same hash as the detector's partition: a symbol's feed shard and detector partition can be lined up.
    expect(shards[1]).toEqual(new SymbolPartition({ index: 1, count: 3 }).ownedOf(load({ ARB__SYMBOLS: SIX }).symbols));
  });

  it('an explicit feed.symbols list wins over the partition', () => {
    const cfg = load({ ARB__SYMBOLS: SIX, ARB__FEED__SYMBOLS: '[XRP-USDT, BTC-USDT]', ARB__FEED__PARTITION__COUNT: '4' });
    expect(ownedSymbols(cfg)).toEqual(['XRP-USDT', 'BTC-USDT']);
  });

  it('refuses a shard out of range, one owning no symbol, and explicit symbols outside the universe', () => {
    expect(() => ownedSymbols(load({ ARB__FEED__PARTITION__INDEX: '2', ARB__FEED__PARTITION__COUNT: '2' }))).toThrow(FeedShardError);
    const cfg = load({ ARB__SYMBOLS: '[BTC-USDT]', ARB__FEED__PARTITION__COUNT: '2' });
    const empty = new SymbolPartition({ index: 0, count: 2 }).owns('BTC-USDT') ? 1 : 0;
    expect(() => ownedSymbols({ ...cfg, feed: { ...cfg.feed, partition: { index: empty, count: 2 } } })).toThrow(/owns none/);
    expect(() => ownedSymbols(load({ ARB__FEED__SYMBOLS: '[DOGE-USDT]' }))).toThrow(/not in symbols: DOGE-USDT/);
    expect(() => load({ ARB__FEED__PARTITION__COUNT: '0' })).toThrow();
  });
});
