import { validators } from '@arb/contracts';
import { opportunityId } from './opportunity-id';

describe('opportunityId', () => {
  const key = {
    symbol: 'BTC-USDT',
    buyVenue: 'a',
    sellVenue: 'b',
    buy: { seq: 1, venueSeq: 10 },
    sell: { seq: 2, venueSeq: 20 },
    size: '0.50',
  };

  it('is deterministic, ignores decimal formatting, and fits the Opportunity id pattern', () => {
    const id = opportunityId(key);
    expect(id).toBe(opportunityId({ ...key, size: '0.5' }));
    expect(id).toMatch(/^opp_[0-9a-f]{32}$/);
    expect(validators.Opportunity.issues({ id }).some((i) => i.startsWith('/id'))).toBe(false);
  });

  it('changes with the route, either book or the size', () => {
    const id = opportunityId(key);
    const variants = [
      { ...key, buyVenue: 'b', sellVenue: 'a' },
      { ...key, buy: { seq: 2, venueSeq: 10 } },
      { ...key, sell: { seq: 2, venueSeq: 21 } },
      { ...key, size: '0.51' },
      { ...key, symbol: 'ETH-USDT' },
    ];
    const ids = new Set(variants.map(opportunityId));
    expect(ids.size).toBe(variants.length);
    expect(ids.has(id)).toBe(false);
  });
});
