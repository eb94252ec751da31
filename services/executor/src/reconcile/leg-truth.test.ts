import { FakeVenue } from '../../test/fake-venue';
import type { InflightRecord } from '../inflight/record';
import { legTruth, VenueQueryError } from './leg-truth';

const leg = (tag: 'b' | 'h1', ts?: number): InflightRecord['legs'][number] => ({
  role: tag === 'b' ? 'buy' : 'hedge', tag, venue: 'binance', symbol: 'BTC-USDT', side: 'buy', qty: '0.1', limitPrice: '65000', clientOrderId: `a1-${tag}`, ...(ts !== undefined ? { ts } : {}),
});

describe('legTruth', () => {
  const GRACE = 10_000;

  it('an order the venue does not know is "never arrived" only once the grace since it was sent has passed', async () => {
    const venue = new FakeVenue('binance');
    const young = await legTruth(venue, leg('b'), 1_000, () => 1_000 + GRACE - 1, GRACE);
    expect(young.decided).toBe(false);
    expect(young.outcome.status).toBe('unknown');
    const old = await legTruth(venue, leg('b'), 1_000, () => 1_000 + GRACE, GRACE);
    expect(old.decided).toBe(true);
    expect(old.outcome.status).toBe('unfilled');
    expect(old.outcome.error).toMatch(/never arrived/);
  });

  it('a hedge is timed from when it was recorded, not from the trade start', async () => {
    const venue = new FakeVenue('binance');
    expect((await legTruth(venue, leg('h1', 50_000), 1_000, () => 55_000, GRACE)).decided).toBe(false);
  });

  it('an order that arrived late is found with its fills; one still open is cancelled first', async () => {
    const venue = new FakeVenue('binance');
    venue.behave = () => ({ kind: 'timeout', fraction: '0.4' });
    await venue.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty: '0.1', limitPrice: '65000', clientOrderId: 'a1-b' }).catch(() => undefined);
    const found = await legTruth(venue, leg('b'), 1_000, () => 2_000, GRACE);
    expect([found.decided, found.outcome.status, found.outcome.state?.filledQty]).toEqual([true, 'partially_filled', '0.04']);
    venue.behave = () => ({ kind: 'open' });
    await venue.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty: '0.1', limitPrice: '65000', clientOrderId: 'a1-h1' });
    const open = await legTruth(venue, leg('h1'), 1_000, () => 2_000, GRACE);
    expect(venue.cancels).toEqual(['a1-h1']);
    expect([open.decided, open.outcome.state?.status]).toEqual([true, 'canceled']);
  });

  it('a venue that cannot answer is an error (the record is retried), never an assumed outcome', async () => {
    const venue = new FakeVenue('binance');
    venue.getOrder = async () => {
      throw new Error('503');
    };
    await expect(legTruth(venue, leg('b'), 1_000, () => 99_000, GRACE)).rejects.toBeInstanceOf(VenueQueryError);
    await expect(legTruth(undefined, leg('b'), 1_000, () => 99_000, GRACE)).rejects.toBeInstanceOf(VenueQueryError);
  });
});
