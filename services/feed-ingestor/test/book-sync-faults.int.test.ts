import { connect, type NatsConnection } from '@nats-io/transport-node';
import { subjects, validators, type BookSnapshot, type FeedStatus } from '@arb/contracts';
import { normalizeDecimal } from '@arb/domain';
import { startNats, type NatsHandle, type ServiceProcess } from '@arb/testkit';
import { controlJson, sleep, startIngestor, startSim, type SimProcess } from './stack';

const VENUES = ['binance', 'coinbase'] as const;
const RUN_MS = 12_000;
/** feed.resync.maxMs and feed.reconnect.maxMs in config/default.yaml (this test runs the shipped feed settings). */
const BACKOFF_MAX_MS = 5000;
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
  // Truth is checked while the run goes on: the simulator rebuilds a past state by undoing the changes made since,
  // so a check close behind the head is cheap and stays inside its bounded history.
  const pending: BookSnapshot[] = [];
  const mismatches: string[] = [];
  const byVenue = new Map<string, number>();
  let compared = 0;
  let running = true;
  let verifiers: Promise<void>[] = [];
  const verify = async (): Promise<void> => {
    while (running || pending.length > 0) {
      const b = pending.shift();
      if (b === undefined) {
        await sleep(5);
        continue;
      }
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
      for await (const m of bookSub) {
        const b = validators.BookSnapshot.decode(m.data);
        books.push(b);
        pending.push(b);
      }
    })();
    void (async () => {
      for await (const m of statusSub) statuses.push(validators.FeedStatus.decode(m.data));
    })();
    verifiers = Array.from({ length: 4 }, verify);
    ingestors = await Promise.all(VENUES.map((v) => startIngestor(v, nats.url, sim)));
    await sleep(RUN_MS);
    await Promise.all(ingestors.map((p) => p.stop()));
    running = false;
    await Promise.all(verifiers);
  }, RUN_MS + 120_000);

  afterAll(async () => {
    running = false;
    await Promise.all(verifiers);
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

  it('every published BookSnapshot equals the simulator’s true book at that venue sequence', () => {
    expect(books.length).toBeGreaterThan(1000);
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(compared).toBe(books.length);
    for (const v of VENUES) expect(byVenue.get(v) ?? 0).toBeGreaterThan(200);
  });

  // Bounds from the shipped config (feed.resync / feed.reconnect maxMs 5000: the longest a book waits between attempts),
  // not from this host's speed: a resync is attempted at once, so gaps usually heal in well under a second (printed),
  // but a loaded host once took 1.24 s. What must never happen is a book left down past its backoff.
  it('after a gap or a disconnect the book is live again within the backoff bound', () => {
    // An outage starts with the first non-live state: `resyncing` = a gap (or rejected frame) on a live connection,
    // anything else (`down`, `connecting`, `syncing`) = the connection was lost.
    const gaps: number[] = [];
    const disconnects: number[] = [];
    for (const venue of VENUES) {
      const seen = statuses.filter((s) => s.venue === venue);
      for (const symbol of Object.keys(seen[0]?.symbols ?? {})) {
        let since: { ts: number; gap: boolean } | null = null;
        for (const s of seen) {
          const state = s.symbols[symbol]?.state;
          if (state === 'live' && since !== null) {
            (since.gap ? gaps : disconnects).push(s.ts - since.ts);
            since = null;
          } else if (state !== 'live' && since === null && s.ts > seen[0]!.ts + 2000) {
            since = { ts: s.ts, gap: state === 'resyncing' };
          }
        }
      }
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    console.log(`book sync faults: ${gaps.length} gaps live again after median ${median(gaps).toFixed(0)} ms, max ${Math.max(...gaps).toFixed(0)} ms; ${disconnects.length} disconnects after median ${median(disconnects).toFixed(0)} ms, max ${Math.max(...disconnects).toFixed(0)} ms`);
    expect(gaps.length).toBeGreaterThan(4);
    expect(Math.max(...gaps)).toBeLessThan(BACKOFF_MAX_MS);
    expect(disconnects.length).toBeGreaterThan(0);
    expect(Math.max(...disconnects)).toBeLessThan(BACKOFF_MAX_MS);
  });
});
