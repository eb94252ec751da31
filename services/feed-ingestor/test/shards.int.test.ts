import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { subjects, validators, type FeedStatus } from '@arb/contracts';
import { checkBookInvariants } from '@arb/domain';
import { loadConfig } from '@arb/service-kit';
import { REPO_ROOT, startNats, type NatsHandle, type ServiceProcess } from '@arb/testkit';
import { FeedIngestorConfig } from '../src/config';
import { startIngestor, startSim, type SimProcess } from './stack';

/** The generated universe (scripts/gen-symbols.mjs) in the sim; the ingestors watch its first 16 symbols. */
const OVERLAY = { ARB_CONFIG_FILE: join(REPO_ROOT, 'config/symbols-100.yaml') };
const VENUES = ['binance', 'coinbase'] as const;
const SYMBOLS = loadConfig(FeedIngestorConfig, { dir: join(REPO_ROOT, 'config'), mode: 'sim', env: OVERLAY }).symbols.slice(0, 16);

describe('feed-ingestor shards: two replicas per venue (feed.partition count 2) against exchange-sim, 16 symbols', () => {
  let nats: NatsHandle;
  let sim: SimProcess;
  const ingestors: { venue: string; index: number; proc: ServiceProcess; url: string }[] = [];
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await startNats();
    sim = await startSim(OVERLAY);
    for (const venue of VENUES) {
      for (const index of [0, 1]) {
        const proc = await startIngestor(venue, nats.url, sim, {
          ...OVERLAY,
          ARB__SYMBOLS: `[${SYMBOLS.join(', ')}]`,
          ARB_INSTANCE: `feed-${venue}-${index}`,
          ARB__HTTP__HOST: '127.0.0.1',
          ARB__LOG__LEVEL: 'info',
          ARB__FEED__PARTITION__INDEX: String(index),
          ARB__FEED__PARTITION__COUNT: '2',
        });
        const line = await proc.waitForLine(/"http server listening"/);
        ingestors.push({ venue, index, proc, url: (JSON.parse(line) as { url: string }).url });
      }
    }
    nc = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await nc?.close();
    const exits = await Promise.all(ingestors.map((i) => i.proc.stop()));
    await sim?.proc.stop();
    await nats?.stop();
    expect(exits.map((e) => e.code)).toEqual(ingestors.map(() => 0));
  });

  it('each replica publishes books and statuses of its own shard only: disjoint, together every symbol on both venues', async () => {
    expect(SYMBOLS).toHaveLength(16);
    // A replica's statuses list exactly its shard: group them by their symbol sets.
    const shards = new Map<string, Set<string>>();
    const liveSymbols = new Map<string, Set<string>>();
    const books = new Map<string, Set<string>>();
    const bad: string[] = [];
    const statusSub = nc.subscribe(subjects.statuses(), {
      callback: (_err, m) => {
        const s: FeedStatus = validators.FeedStatus.decode(m.data);
        const listed = Object.keys(s.symbols).sort();
        const key = `${s.venue}|${listed.join(',')}`;
        if (!shards.has(key)) shards.set(key, new Set(listed));
        const live = liveSymbols.get(s.venue) ?? new Set<string>();
        for (const [sym, st] of Object.entries(s.symbols)) if (st.state === 'live') live.add(sym);
        liveSymbols.set(s.venue, live);
      },
    });
    const bookSub = nc.subscribe(subjects.books(), {
      callback: (_err, m) => {
        const b = validators.BookSnapshot.decode(m.data);
        const v = checkBookInvariants(b);
        if (v.length > 0) bad.push(`${b.venue}/${b.symbol}: ${v[0]?.rule}`);
        const seen = books.get(b.venue) ?? new Set<string>();
        seen.add(b.symbol);
        books.set(b.venue, seen);
      },
    });
    const done = (): boolean => VENUES.every((v) => books.get(v)?.size === SYMBOLS.length && liveSymbols.get(v)?.size === SYMBOLS.length);
    const deadline = Date.now() + 90_000;
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    statusSub.unsubscribe();
    bookSub.unsubscribe();

    expect(bad).toEqual([]);
    for (const venue of VENUES) {
      expect({ venue, books: books.get(venue)?.size, live: liveSymbols.get(venue)?.size }).toEqual({ venue, books: SYMBOLS.length, live: SYMBOLS.length });
      const mine = [...shards.entries()].filter(([k]) => k.startsWith(`${venue}|`)).map(([, set]) => [...set]);
      // Two replicas: two distinct symbol sets, disjoint, both non-empty, together all symbols.
      expect(mine).toHaveLength(2);
      const [a = [], b = []] = mine;
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
      expect(a.filter((s) => b.includes(s))).toEqual([]);
      expect([...a, ...b].sort()).toEqual([...SYMBOLS].sort());
    }
    // Each replica's metrics cover only its shard: its books published are counted for its own symbols.
    for (const { venue, url } of ingestors) {
      const text = await (await fetch(`${url}/metrics`)).text();
      const published = new Set([...text.matchAll(/^feed_books_published_total\{[^}]*symbol="([A-Z0-9-]+)"[^}]*\} [1-9]/gm)].map((m) => m[1]));
      const shard = [...shards.entries()].find(([k, set]) => k.startsWith(`${venue}|`) && [...published].every((s) => set.has(s as string)));
      expect(shard).toBeDefined();
      expect(published.size).toBeGreaterThan(0);
      expect(published.size).toBe(shard?.[1].size);
    }
  }, 120_000);
});
