import { connect, type NatsConnection } from '@nats-io/transport-node';
import { subjects, validators, type BookSnapshot, type FeedStatus } from '@arb/contracts';
import { checkBookInvariants } from '@arb/domain';
import { startNats, type NatsHandle, type ServiceProcess } from '@arb/testkit';
import { startIngestor, startSim, type SimProcess } from './stack';

const VENUES = ['binance', 'coinbase'] as const;
const SYMBOLS = ['BTC-USDT', 'ETH-USDT'];

describe('exchange-sim → two feed-ingestors → NATS', () => {
  let nats: NatsHandle;
  let sim: SimProcess;
  let ingestors: ServiceProcess[] = [];
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await startNats();
    sim = await startSim();
    ingestors = await Promise.all(VENUES.map((v) => startIngestor(v, nats.url, sim)));
    nc = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await nc?.close();
    await Promise.all(ingestors.map((p) => p.stop()));
    await sim?.proc.stop();
    await nats?.stop();
  });

  it('a subscriber sees valid live books from both venues for every configured symbol', async () => {
    const books = new Map<string, BookSnapshot>();
    const live = new Set<string>();
    const sub = nc.subscribe(subjects.books());
    const statusSub = nc.subscribe(subjects.statuses());
    void (async () => {
      for await (const m of statusSub) {
        const s: FeedStatus = validators.FeedStatus.decode(m.data);
        if (s.state === 'live') live.add(s.venue);
      }
    })();
    const want = VENUES.length * SYMBOLS.length;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only saw ${[...books.keys()].join(',')}`)), 20_000);
      void (async () => {
        for await (const m of sub) {
          const book = validators.BookSnapshot.decode(m.data);
          expect(m.subject).toBe(subjects.book(book.venue, book.symbol));
          expect(checkBookInvariants(book)).toEqual([]);
          books.set(`${book.venue}/${book.symbol}`, book);
          if (books.size === want && live.size === VENUES.length) {
            clearTimeout(timer);
            resolve();
            return;
          }
        }
      })();
    });
    sub.unsubscribe();
    statusSub.unsubscribe();
    for (const v of VENUES) {
      for (const s of SYMBOLS) {
        const b = books.get(`${v}/${s}`);
        expect(b).toBeDefined();
        expect(b?.bids.length).toBe(20);
        expect(b?.asks.length).toBe(20);
        expect(b!.pubTs).toBeGreaterThanOrEqual(b!.recvTs);
      }
    }
  });
});
