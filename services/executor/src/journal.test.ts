import Big from 'big.js';
import type { ExecutionReport } from '@arb/contracts';
import type { Bus } from '@arb/service-kit';
import { makeOpp } from '../test/opportunity';
import { Journal } from './journal';
import { account } from './trade/accounting';
import { buildReport } from './trade/report';
import type { LegOutcome } from './trade/types';

const opp = makeOpp();

function leg(tag: 'b' | 's' | 'u1', side: 'buy' | 'sell', filled: string, price: string): LegOutcome {
  const venue = tag === 's' ? 'coinbase' : 'binance';
  const role = tag === 'b' ? 'buy' : tag === 's' ? 'sell' : 'unwind';
  return {
    plan: { role, tag, venue, symbol: opp.symbol, side, qty: '0.1', limitPrice: price, clientOrderId: `a9-${tag}` },
    state: { venue, symbol: opp.symbol, clientOrderId: `a9-${tag}`, venueOrderId: '1', side, status: 'filled', final: true, requestedQty: '0.1', filledQty: filled, avgPrice: price, filledQuote: new Big(filled).times(price).toFixed(), fee: '0', feeAsset: 'USDT', fills: [], updatedTs: 1 },
    status: 'filled',
    sentTs: 1,
    ackTs: 2,
    finalTs: 3,
  };
}

const report = (legs: LegOutcome[], executorId: string): ExecutionReport =>
  buildReport({ opp, executorId, status: 'unwound', legs, accounts: account(opp, legs), usdRate: new Big(1), fencingToken: 1, receivedTs: Date.now(), ordersSentTs: 1, acksTs: 2, finalTs: 3 });

/** A journal stream in memory: de-duplicates by msgId like ARB_EXECS. */
class FakeStream {
  readonly stored: ExecutionReport[] = [];
  failReads = 0;
  readonly bus: Pick<Bus, 'publishJs'> = {
    publishJs: (async (_subject: string, _v: unknown, msg: ExecutionReport, opts?: { msgId?: string }) => {
      const duplicate = this.stored.some((r) => r.id === opts?.msgId);
      if (!duplicate) this.stored.push(msg);
      return { duplicate, seq: this.stored.length, stream: 'ARB_EXECS' };
    }) as unknown as Bus['publishJs'],
  };
  readonly reader = {
    trade: async (_symbol: string, oppId: string): Promise<ExecutionReport[]> => {
      if (this.failReads-- > 0) throw new Error('nats down');
      return this.stored.filter((r) => r.oppId === oppId);
    },
  };
}

const journalOf = (s: FakeStream): Journal => new Journal(s.bus, { ackTimeoutMs: 100, retryDelayMs: 1, keepTrying: () => true, sleep: async () => undefined }, s.reader);

describe('Journal.writeTrade', () => {
  const taker = [leg('b', 'buy', '0.1', '65000'), leg('s', 'sell', '0', '65100'), leg('u1', 'sell', '0.1', '64900')];

  it('a duplicate holding everything we know is a duplicate: nothing more is written', async () => {
    const s = new FakeStream();
    const j = journalOf(s);
    expect(await j.writeTrade(report(taker, 'taker'), { opp, legs: taker, usdRate: new Big(1), tradeable: false })).toEqual({ kind: 'stored' });
    // The paused owner comes back knowing less (no unwind): its report is a duplicate and hides nothing.
    const owner = taker.slice(0, 2);
    expect(await j.writeTrade(report(owner, 'owner'), { opp, legs: owner, usdRate: new Big(1), tradeable: true })).toEqual({ kind: 'duplicate' });
    expect(s.stored.map((r) => r.executorId)).toEqual(['taker']);
  });

  it('a duplicate holding LESS than we sent is not success: the difference is journaled as a correction', async () => {
    const s = new FakeStream();
    const j = journalOf(s);
    const owner = taker.slice(0, 2);
    await j.writeTrade(report(owner, 'owner'), { opp, legs: owner, usdRate: new Big(1), tradeable: true });
    const r = await j.writeTrade(report(taker, 'taker'), { opp, legs: taker, usdRate: new Big(1), tradeable: false });
    expect(r.kind).toBe('corrected');
    expect(s.stored).toHaveLength(2);
    const c = s.stored[1] as ExecutionReport;
    expect(c.corrects).toBe(s.stored[0]?.id);
    expect(c.legs.map((l) => [l.clientOrderId, l.filledQty])).toEqual([['a9-u1', '0.1']]);
    // Written again (a retry, or the same correction from another executor): one message.
    expect((await j.writeTrade(report(taker, 'taker'), { opp, legs: taker, usdRate: new Big(1), tradeable: false })).kind).toBe('duplicate');
    expect(s.stored).toHaveLength(2);
  });

  it('a duplicate that cannot be read back is reported unverified (after a bounded number of reads)', async () => {
    const s = new FakeStream();
    const j = journalOf(s);
    await j.writeTrade(report(taker, 'a'), { opp, legs: taker, usdRate: new Big(1), tradeable: false });
    s.failReads = 99;
    const r = await j.writeTrade(report(taker, 'b'), { opp, legs: taker, usdRate: new Big(1), tradeable: false });
    expect(r.kind).toBe('unverified');
    expect(s.failReads).toBe(96);
  });
});
