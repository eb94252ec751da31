import { TriggerTap, triggerKey } from './trigger-tap';

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));

function opp(buy: { venue: string; seq: number; recvTs: number }, sell: { venue: string; seq: number; recvTs: number }, detectedTs: number): unknown {
  return {
    id: 'opp_x',
    buy: { venue: buy.venue },
    sell: { venue: sell.venue },
    detectedTs,
    books: { buy: { recvTs: buy.recvTs, seq: buy.seq, venueSeq: 1 }, sell: { recvTs: sell.recvTs, seq: sell.seq, venueSeq: 1 } },
  };
}

describe('triggerKey', () => {
  it("names the newer of an Opportunity's two books, or a book itself", () => {
    expect(triggerKey(opp({ venue: 'alpha', seq: 7, recvTs: 20 }, { venue: 'beta', seq: 3, recvTs: 10 }, 25) as Record<string, unknown>)).toEqual({
      key: 'alpha|7',
      detectedTs: 25,
    });
    expect(triggerKey(opp({ venue: 'alpha', seq: 7, recvTs: 5 }, { venue: 'beta', seq: 3, recvTs: 10 }, 25) as Record<string, unknown>)?.key).toBe('beta|3');
    expect(triggerKey({ venue: 'benchfloora', seq: 9, pubTs: 1, recvTs: 1 })).toEqual({ key: 'benchfloora|9', detectedTs: undefined });
    expect(triggerKey({ books: { buy: {}, sell: {} } })).toBeUndefined();
    expect(triggerKey({ venue: 'x' })).toBeUndefined();
  });
});

describe('TriggerTap', () => {
  it('times targets against their triggering book; unmatched and unparseable ones are counted, not timed', () => {
    const tap = new TriggerTap();
    const now = performance.timeOrigin + performance.now();
    tap.onBook(enc({ venue: 'alpha', seq: 1, pubTs: now - 5, recvTs: now - 6 }));
    tap.onBook(enc({ venue: 'beta', seq: 1, pubTs: now - 4, recvTs: now - 4.5 }));
    tap.onTarget(enc(opp({ venue: 'alpha', seq: 1, recvTs: now - 6 }, { venue: 'beta', seq: 1, recvTs: now - 4.5 }, now - 1)));
    tap.onTarget(enc(opp({ venue: 'alpha', seq: 2, recvTs: now - 1 }, { venue: 'beta', seq: 1, recvTs: now - 4.5 }, now - 0.5)));
    tap.onTarget(new TextEncoder().encode('not json'));
    tap.onBook(enc({ venue: 'alpha' }));
    const r = tap.report();
    expect(r).toMatchObject({ books: 2, targets: 2, unmatched: 1, invalid: 2 });
    expect(r.pub.count).toBe(1);
    // Triggered by beta|1 (the newer book): published 4 ms ago, received 4.5 ms ago, detected 3 ms after publishing.
    expect(r.pub.p50).toBeGreaterThanOrEqual(4);
    expect(r.recv.p50).toBeGreaterThanOrEqual(4.5);
    expect(r.detect.p50).toBeCloseTo(3, 1);
    expect(tap.takeSlice().pub.count).toBe(1);
    expect(tap.takeSlice().pub.count).toBe(0);
    tap.resetLatencies();
    expect(tap.report().pub.count).toBe(0);
  });
});
