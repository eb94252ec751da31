import { connect, type NatsConnection } from '@nats-io/transport-node';
import { subjects, validators, type BookSnapshot, type FeedStatus } from '@arb/contracts';
import { normalizeDecimal } from '@arb/domain';
import { startNats, type NatsHandle, type ServiceProcess } from '@arb/testkit';
import { controlJson, sleep, startIngestor, startSim, type SimProcess } from './stack';

const VENUES = ['binance', 'coinbase'] as const;
const RUN_MS = 12_000;
const FAULTS = '{dropRate: 0.01, corruptRate: 0.001, disconnectEveryS: 4}';

interface TrueBook {
  bids: Array<[string, string]>;
  asks: Array<[string, string]>;
}
const norm = (levels: ReadonlyArray<readonly [string, string]>): string[] => levels.map(([p, s]) => `${normalizeDecimal(p)}@${normalizeDecimal(s)}`);

describe('book sync against exchange-sim with dropped diffs, corrupted frames and disconnects', () => {
  let nats: NatsHandle;
  let sim: SimProcess;
  let ingestors: ServiceProcess[] = [];
  let nc: NatsConnection;
  const books: BookSnapshot[] = [];
  const statuses: FeedStatus[] = [];

  beforeAll(async () => {
    nats = await startNats();
    sim = await startSim({
      ARB__SIM__CONTROL__HISTORY_SIZE: '100000',
      ARB__SIM__RATE__LEVEL_UPDATES_PER_SEC: '20000',
      ARB__SIM__VENUES__BINANCE__FAULTS: FAULTS,
      ARB__SIM__VENUES__COINBASE__FAULTS: FAULTS,
    });
    nc = await connect({ servers: nats.url });
    const bookSub = nc.subscribe(subjects.books());
    const statusSub = nc.subscribe(subjects.statuses());
    void (async () => {
      for await (const m of bookSub) books.push(validators.BookSnapshot.decode(m.data));
    })();
    void (async () => {
      for await (const m of statusSub) statuses.push(validators.FeedStatus.decode(m.data));
    })();
    ingestors = await Promise.all(VENUES.map((v) => startIngestor(v, nats.url, sim)));
    await sleep(RUN_MS);
    await Promise.all(ingestors.map((p) => p.stop()));
  }, RUN_MS + 30_000);

  afterAll(async () => {
    await nc?.close();
    await Promise.all(ingestors.map((p) => p.stop()));
    await sim?.proc.stop();
    await nats?.stop();
  });

  it('faults really happened: gaps, rejected frames and reconnects are counted on both venues', async () => {
    for (const venue of VENUES) {
      const last = statuses.filter((s) => s.venue === venue).at(-1);
      expect(last).toBeDefined();
      expect(last!.counters.gaps).toBeGreaterThan(0);
      expect(last!.counters.resyncs).toBeGreaterThan(0);
      expect(last!.counters.rejected).toBeGreaterThan(0);
      expect(last!.counters.reconnects).toBeGreaterThan(0);
    }
    const stats = await controlJson<{ venues: Record<string, { messagesDropped: number; messagesCorrupted: number }> }>(sim, '/control/stats');
    for (const venue of VENUES) {
      expect(stats.body.venues[venue]?.messagesDropped).toBeGreaterThan(0);
      expect(stats.body.venues[venue]?.messagesCorrupted).toBeGreaterThan(0);
    }
  });

  it('every published BookSnapshot equals the simulator’s true book at that venue sequence', async () => {
    expect(books.length).toBeGreaterThan(1000);
    const byVenue = new Map<string, number>();
    let compared = 0;
    const mismatches: string[] = [];
    const queue = [...books];
    const worker = async (): Promise<void> => {
      for (let b = queue.shift(); b !== undefined; b = queue.shift()) {
        const q = `/control/book?venue=${b.venue}&symbol=${b.symbol}&seq=${b.venueSeq}&depth=${b.bids.length}`;
        const truth = await controlJson<TrueBook>(sim, q);
        if (truth.status !== 200) {
          mismatches.push(`${b.venue} ${b.symbol} seq ${b.venueSeq}: no truth (${truth.status})`);
          continue;
        }
        compared++;
        byVenue.set(b.venue, (byVenue.get(b.venue) ?? 0) + 1);
        const same =
          norm(b.bids).join() === norm(truth.body.bids.slice(0, b.bids.length)).join() &&
          norm(b.asks).join() === norm(truth.body.asks.slice(0, b.asks.length)).join();
        if (!same) mismatches.push(`${b.venue} ${b.symbol} seq ${b.venueSeq}: differs from the true book`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(compared).toBe(books.length);
    for (const v of VENUES) expect(byVenue.get(v) ?? 0).toBeGreaterThan(200);
  }, 120_000);

  it('after every gap or disconnect the book is live again within 1 s', () => {
    const outages: number[] = [];
    for (const venue of VENUES) {
      const seen = statuses.filter((s) => s.venue === venue);
      for (const symbol of Object.keys(seen[0]?.symbols ?? {})) {
        let downSince: number | null = null;
        for (const s of seen) {
          const state = s.symbols[symbol]?.state;
          if (state === 'live' && downSince !== null) {
            outages.push(s.ts - downSince);
            downSince = null;
          } else if (state !== 'live' && downSince === null && s.ts > seen[0]!.ts + 2000) {
            downSince = s.ts;
          }
        }
      }
    }
    expect(outages.length).toBeGreaterThan(4);
    expect(Math.max(...outages)).toBeLessThan(1000);
  });
});
