import { SymbolPartition } from '@arb/domain';
import type { FeedIngestorConfig } from './config';

/** Thrown when a replica's shard (feed.partition / feed.symbols) leaves it no symbol, or names unknown ones. */
export class FeedShardError extends Error {
  override readonly name = 'FeedShardError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The symbols this feed-ingestor replica serves: `feed.symbols` when set (each one of the top-level `symbols`), else
 * its `feed.partition` share of `symbols` (all of them with one replica).
 */
export function ownedSymbols(cfg: Pick<FeedIngestorConfig, 'symbols' | 'feed'>): string[] {
  const { partition, symbols } = cfg.feed;
  let p: SymbolPartition;
  try {
    p = new SymbolPartition({ index: partition.index, count: partition.count, symbols });
  } catch (err) {
    throw new FeedShardError(`feed.partition: ${(err as Error).message}`, { cause: err });
  }
  if (symbols !== undefined) {
    const universe = new Set(cfg.symbols);
    const unknown = symbols.filter((s) => !universe.has(s));
    if (unknown.length > 0) throw new FeedShardError(`feed.symbols lists symbols not in symbols: ${unknown.join(', ')}`);
  }
  const owned = p.ownedOf(cfg.symbols);
  if (owned.length === 0) {
    throw new FeedShardError(`feed.partition ${partition.index}/${partition.count} owns none of the ${cfg.symbols.length} symbols`);
  }
  return owned;
}
