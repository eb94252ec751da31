import { subjects, validators, type BookSnapshot } from '@arb/contracts';
import type { NatsConnection } from '@nats-io/transport-node';
import type { CcxtVenue } from '../ccxt';
import type { SimControl } from '../control';
import { canonicalLevels } from '../decimals';
import type { SimExchange } from '../venue-client';
import { CheckFailure } from './failure';

/** Levels compared per side: the feed-ingestor publishes its books this deep (config `feed.depth`). */
export const DEPTH = 20;

interface State {
  /** The book's own update id of this state. */
  id: number;
  book: string;
}

export interface BookRun {
  /** How long to collect both sides, at most. */
  durationMs: number;
  /** Stop once this many states were matched (same update id on both sides). */
  enough: number;
  /** How many matched states are also checked against the simulator's true book. */
  truthSamples: number;
}

const bookKey = (bids: ReadonlyArray<readonly [number | string, number | string]>, asks: ReadonlyArray<readonly [number | string, number | string]>): string =>
  `${canonicalLevels(bids, DEPTH)} | ${canonicalLevels(asks, DEPTH)}`;

/**
 * ccxt's watchOrderBook against the real feed-ingestor's published books (md.book.<venue>.<symbol>): the books must be
 * equal (top DEPTH levels, exact decimals) at every book state both produced, and equal to the simulator's true book.
 * States are identified by the book's own update id: Binance's `u` (ccxt's nonce, the ingestor's venueSeq) as is; a
 * Coinbase sequence_num (per connection) through GET /control/book?seq=.
 */
export async function compareBooks(venue: CcxtVenue, symbol: string, simSymbol: string, client: SimExchange, nc: NatsConnection, control: SimControl, run: BookRun): Promise<string> {
  const feed = new Map<number, string>();
  const coinbaseIds = new Map<number, number>();
  const idOf = async (seq: number): Promise<number> => {
    if (venue === 'binance') return seq;
    let id = coinbaseIds.get(seq);
    if (id === undefined) coinbaseIds.set(seq, (id = (await control.book(venue, simSymbol, { seq }, 1)).updateId));
    return id;
  };
  const sub = nc.subscribe(subjects.book(venue, simSymbol));
  const pending: BookSnapshot[] = [];
  const reading = (async () => {
    for await (const m of sub) pending.push(validators.BookSnapshot.decode(m.data));
  })();
  const mine: State[] = [];
  const deadline = Date.now() + run.durationMs;
  let matched = 0;
  let frames = 0;
  let newestFeed = 0;
  const mismatches: string[] = [];
  try {
    while (Date.now() < deadline && matched < run.enough) {
      const b = await client.ex.watchOrderBook(symbol);
      frames++;
      const seq = venue === 'binance' ? b.nonce : client.lastL2Seq(simSymbol);
      if (seq === undefined || seq === null) continue;
      // ccxt's book is a live object that later messages change: read it before awaiting anything.
      const book = bookKey(b.bids, b.asks);
      mine.push({ id: await idOf(seq), book });
      for (const s of pending.splice(0)) {
        const id = await idOf(s.venueSeq);
        feed.set(id, bookKey(s.bids, s.asks));
        newestFeed = Math.max(newestFeed, id);
      }
      for (const st of mine.splice(0)) {
        const f = feed.get(st.id);
        if (f === undefined) {
          if (st.id > newestFeed) mine.push(st); // the ingestor may not have published it yet
          continue;
        }
        matched++;
        if (f !== st.book || matched <= run.truthSamples) {
          const t = await control.book(venue, simSymbol, { updateId: st.id }, DEPTH);
          const truth = bookKey(t.bids, t.asks);
          const wrong = [st.book !== truth ? 'ccxt' : '', f !== truth ? 'feed-ingestor' : ''].filter((w) => w !== '');
          if (wrong.length > 0) mismatches.push(`update id ${st.id}: ${wrong.join(' and ')} ≠ the true book: ccxt ${st.book.slice(0, 120)} / ingestor ${f.slice(0, 120)} / true ${truth.slice(0, 120)}`);
        }
      }
    }
  } finally {
    sub.unsubscribe();
    await reading;
  }
  if (mismatches.length > 0) throw new CheckFailure(`${mismatches.length} mismatch(es) in ${matched} matched states; first: ${mismatches[0] ?? ''}`);
  if (matched === 0) throw new CheckFailure(`no book state seen by both ccxt (${frames} updates) and the feed-ingestor (${feed.size} books) in ${run.durationMs} ms`);
  return `${matched} book states equal (top ${DEPTH}, exact) between ccxt and the feed-ingestor at the same update id, ${Math.min(matched, run.truthSamples)} of them also equal to the true book; ccxt ${frames} updates, ingestor ${feed.size} books`;
}
