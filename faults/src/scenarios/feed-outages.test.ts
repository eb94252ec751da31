import { counterDelta, statesText } from './feed-outages';

describe('statesText', () => {
  it('shows a short sequence in full, and nothing as "stayed live"', () => {
    expect(statesText([])).toBe('stayed live');
    expect(statesText(['live', 'stale', 'down', 'syncing', 'live'])).toBe('live → stale → down → syncing → live');
  });

  it('summarizes a long one: how often it left live, through which states', () => {
    const states = ['resyncing', 'live', ...Array.from({ length: 10 }, () => ['resyncing', 'live']).flat(), 'down', 'syncing', 'live'];
    expect(statesText(states)).toBe('left live 12 times (resyncing ×11, down ×1, syncing ×1), ended live');
  });
});

describe('counterDelta', () => {
  it('subtracts the earlier reading (missing = 0)', () => {
    expect(counterDelta({ gaps: 2, resyncs: 1 }, { gaps: 5, resyncs: 1, rejected: 3 })).toEqual({ gaps: 3, resyncs: 0, rejected: 3 });
    expect(counterDelta(undefined, { gaps: 1 })).toEqual({ gaps: 1 });
  });
});
