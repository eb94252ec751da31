import { subjects, validators, type BookSnapshot } from '@arb/contracts';
import { promSamples } from '@arb/testkit';
import { connect } from '@nats-io/transport-node';
import Big from 'big.js';
import type { FaultContext } from '../context';
import { now } from '../recorder';
import type { Check } from '../types';
import { sleep, waitFor } from '../wait';
import { tradedAfter } from './feed-fault';
import { ms, type Scenario } from './scenario';

const SYMBOL = 'BTC-USDT';
/** Far beyond any sequence a feed-ingestor reaches: a book with it would outrank every real one by `seq`. */
const FORGED_SEQ = 2 ** 50;
const HOUR = 3_600_000;

/** The detector's `detector_books_dropped_total` by reason. */
async function dropped(ctx: FaultContext): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const s of promSamples(await ctx.stack.metrics('detector'), 'detector_books_dropped_total')) {
    const reason = s.labels.get('reason') ?? '';
    out.set(reason, (out.get(reason) ?? 0) + s.value);
  }
  return out;
}

const delta = (a: Map<string, number>, b: Map<string, number>, reason: string): number => (b.get(reason) ?? 0) - (a.get(reason) ?? 0);

/**
 * A Binance BTC-USDT book priced `edgeBps` under Coinbase's best bid (an edge worth trading if it were real), with
 * the given receive time and a huge local `seq`, as a compromised or buggy publisher would send it.
 */
async function forgedBook(ctx: FaultContext, recvTs: number, seq: number, edgeBps: number): Promise<BookSnapshot> {
  const truth = await ctx.sim.call<{ bids: [string, string][] }>(`/control/book?venue=coinbase&symbol=${SYMBOL}&depth=1`);
  const bid = new Big(truth.bids[0]?.[0] ?? '0');
  const ask = bid.times(1 - edgeBps / 10_000).round(2, Big.roundDown);
  return {
    v: 1,
    venue: 'binance',
    symbol: SYMBOL,
    seq,
    venueSeq: seq,
    venueTs: Math.floor(recvTs),
    recvTs,
    pubTs: recvTs,
    bids: [[ask.minus('0.01').toFixed(2), '5']],
    asks: [[ask.toFixed(2), '5']],
  };
}

/**
 * Books that must not be believed are published on the bus, as the attacker of issue 16 did: a Binance book dated an
 * hour ahead with a huge `seq` (before the fix: the detector traded on it for its whole life and refused every real
 * Binance book as "older"), observed alone for 20 s (full form) as the issue measured it; then one dated an hour back
 * and one with a plausible time but a `seq` jump no feed can make. Each is 100 bps under Coinbase's bid. None may produce an opportunity, each is counted as
 * dropped, real Binance books keep being accepted, and a real window is traded afterwards.
 */
export const forgedBooks: Scenario = {
  name: 'forged-books',
  fault: 'forged md.book.binance.BTC-USDT messages 100 bps under coinbase: recvTs +1 h with seq 2^50, then recvTs -1 h, then a seq jump to 2^49',
  async run(ctx) {
    const nc = await connect({ servers: ctx.stack.nats.url, name: 'fault-suite-forger' });
    const before = await dropped(ctx);
    const t0 = now();
    // 20 s in the full form, as issue 16 measured the first forged book's effect.
    const observeMs = Math.max(5000, ctx.scale.faultMs + 5000);
    const forged: BookSnapshot[] = [];
    try {
      const publish = async (b: BookSnapshot): Promise<void> => {
        forged.push(b);
        nc.publish(subjects.book(b.venue, b.symbol), JSON.stringify(validators.BookSnapshot.assert(b)));
        await nc.flush();
      };
      // The attack of issue 16 first, alone: one book dated an hour ahead with a huge seq.
      await publish(await forgedBook(ctx, now() + HOUR, FORGED_SEQ, 100));
      await sleep(observeMs);
      // Then the other two, each with a seq below the first's (a detector that stored the first keeps it).
      await publish(await forgedBook(ctx, now() - HOUR, FORGED_SEQ / 2, 100));
      await sleep(500);
      await publish(await forgedBook(ctx, now(), FORGED_SEQ / 2 + 1, 100));
    } finally {
      await nc.close();
    }
    await sleep(2000);
    const after = await dropped(ctx);
    const forgedSeqs = new Set(forged.map((b) => b.seq));
    const fromForged = ctx.recorder.opportunities.filter((o) => o.at >= t0 && (forgedSeqs.has(o.msg.books.buy.seq) || forgedSeqs.has(o.msg.books.sell.seq)));
    const oppIds = new Set(fromForged.map((o) => o.msg.id));
    const trades = ctx.recorder.reportsSince(t0).filter((r) => oppIds.has(r.oppId) && r.status !== 'skipped' && r.status !== 'expired');
    const pnl = trades.reduce((sum, r) => sum.plus(r.realizedPnlUsd), new Big(0));
    const refused = { future: delta(before, after, 'future'), tooOld: delta(before, after, 'too-old'), seqJump: delta(before, after, 'seq-jump') };
    const olderReal = delta(before, after, 'older');
    // Real Binance books kept reaching the detector: it evaluated windows after the forgeries (the probe below), and
    // it did not refuse them as older than a forged one.
    const binanceBooks = ctx.recorder.booksOf('binance', t0).filter((b) => b.symbol === SYMBOL).length;
    await waitFor('binance books published after the forgeries', () => (ctx.recorder.booksOf('binance', t0 + 1000).length > 0 ? true : undefined), 10_000);
    const checks: Check[] = [
      {
        name: 'no opportunity from a forged book',
        ok: fromForged.length === 0 && trades.length === 0,
        detail: `${fromForged.length} opportunities and ${trades.length} trades (PnL ${pnl.toFixed(2)} USD) used a forged book in ${ms(now() - t0)}`,
      },
      {
        name: 'each forged book refused and counted',
        ok: refused.future >= 1 && refused.tooOld >= 1 && refused.seqJump >= 1,
        detail: `detector_books_dropped_total: future +${refused.future}, too-old +${refused.tooOld}, seq-jump +${refused.seqJump}`,
      },
      {
        name: 'real books not refused as older',
        ok: olderReal <= 2,
        detail: `${olderReal} books dropped as older while ${binanceBooks} real binance ${SYMBOL} books were published`,
      },
    ];
    const probe = await ctx.probeTrades();
    checks.push(tradedAfter(probe.reports, probe.firstMs));
    return {
      behaviour: [
        `forged binance ${SYMBOL} books published 100 bps under coinbase: recvTs +1 h with seq 2^50, then (after ${ms(observeMs)}) recvTs -1 h and a seq jump to 2^49`,
        `detector refused them: future +${refused.future}, too-old +${refused.tooOld}, seq-jump +${refused.seqJump}; real books dropped as older: ${olderReal}`,
        `${fromForged.length} opportunities, ${trades.length} trades from forged books; a real window traded ${ms(probe.firstMs)} after its jump`,
      ],
      recoveryMs: probe.firstMs,
      recoveryOf: 'forged books published → a real window traded',
      lost: trades.length === 0 ? 'nothing: no opportunity or trade came from a forged book' : `${trades.length} trades on forged books, ${pnl.toFixed(2)} USD`,
      checks,
    };
  },
};
