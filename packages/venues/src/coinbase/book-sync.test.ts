import type { PriceLevel } from '@arb/domain';
import { CoinbaseBookSync } from './book-sync';
import type { CoinbaseL2Event } from './parse';

const snapshot = (productId: string, bids: PriceLevel[], asks: PriceLevel[]): CoinbaseL2Event => ({ type: 'snapshot', productId, bids, asks });
const update = (productId: string, bids: PriceLevel[], asks: PriceLevel[] = []): CoinbaseL2Event => ({ type: 'update', productId, bids, asks });

describe('CoinbaseBookSync', () => {
  it('checks sequence numbers across all channels of the connection', () => {
    const s = new CoinbaseBookSync(['BTC-USD']);
    expect(s.onSeq(500)).toBe('first'); // a connection may start anywhere
    expect(s.onSeq(501)).toBe('ok');
    expect(s.onSeq(501)).toBe('duplicate');
    expect(s.onSeq(499)).toBe('duplicate');
    expect(s.onSeq(503)).toBe('gap');
    expect(s.onSeq(504)).toBe('ok');
    s.onConnectionOpen();
    expect(s.onSeq(0)).toBe('first');
  });

  it('a jump whose number was bogus (the old sequence carries on right after it) is followed back, not held against later frames', () => {
    const s = new CoinbaseBookSync(['BTC-USD']);
    s.onSeq(500);
    s.onSeq(501);
    expect(s.onSeq(9_000_000_000)).toBe('gap'); // a corrupt frame with a wild sequence_num
    expect(s.onSeq(503)).toBe('gap'); // the real sequence again (502 was the corrupt frame's slot): resync once more
    expect(s.onSeq(504)).toBe('ok');
    expect(s.onSeq(503)).toBe('duplicate'); // only right after a jump
    expect(s.onSeq(510)).toBe('gap'); // a real jump (frames lost) ...
    expect(s.onSeq(511)).toBe('ok'); // ... goes on from its number
    expect(s.onSeq(505)).toBe('duplicate');
  });

  it('a snapshot replaces the book; updates before it are ignored', () => {
    const s = new CoinbaseBookSync(['BTC-USD', 'ETH-USD']);
    expect(s.onL2Event(update('BTC-USD', [['1', '1']]), 1, null)).toBe('ignored');
    expect(s.onL2Event(snapshot('BTC-USD', [['100', '1'], ['99', '2']], [['101', '1']]), 2, 5)).toBe('applied');
    expect(s.isLive('BTC-USD')).toBe(true);
    expect(s.isLive('ETH-USD')).toBe(false);
    expect(s.onL2Event(update('BTC-USD', [['99', '0'], ['100.5', '3']]), 3, 6)).toBe('applied');
    expect(s.book('BTC-USD')?.top(5)).toEqual({ bids: [['100.5', '3'], ['100', '1']], asks: [['101', '1']] });
    expect(s.seqOf('BTC-USD')).toBe(3);
    expect(s.tsOf('BTC-USD')).toBe(6);
    expect(s.onL2Event(update('BTC-USD', [['100.5', '3']]), 4, 7)).toBe('unchanged');
    // A later snapshot replaces everything.
    expect(s.onL2Event(snapshot('BTC-USD', [['50', '1']], [['51', '1']]), 5, 8)).toBe('applied');
    expect(s.book('BTC-USD')?.top(5)).toEqual({ bids: [['50', '1']], asks: [['51', '1']] });
    expect(s.onL2Event(update('XRP-USD', [['1', '1']]), 6, null)).toBe('ignored');
  });

  it('a sequence jump discards every book until its fresh snapshot arrives', () => {
    const s = new CoinbaseBookSync(['BTC-USD', 'ETH-USD']);
    s.onSeq(1);
    s.onL2Event(snapshot('BTC-USD', [['100', '1']], [['101', '1']]), 1, null);
    s.onSeq(2);
    s.onL2Event(snapshot('ETH-USD', [['10', '1']], [['11', '1']]), 2, null);
    expect(s.onSeq(5)).toBe('gap');
    expect(s.isLive('BTC-USD')).toBe(false);
    expect(s.isLive('ETH-USD')).toBe(false);
    expect(s.book('BTC-USD')?.isEmpty).toBe(true);
    expect(s.onL2Event(update('BTC-USD', [['100', '2']]), 5, null)).toBe('ignored');
    s.onSeq(6);
    expect(s.onL2Event(snapshot('BTC-USD', [['100', '2']], [['101', '1']]), 6, null)).toBe('applied');
    expect(s.isLive('BTC-USD')).toBe(true);
    expect(s.isLive('ETH-USD')).toBe(false);
  });

  it('an update that crosses the book is refused and the product waits for a snapshot', () => {
    const s = new CoinbaseBookSync(['BTC-USD']);
    s.onL2Event(snapshot('BTC-USD', [['100', '1']], [['101', '1']]), 1, null);
    expect(s.onL2Event(update('BTC-USD', [], [['99', '1']]), 2, null)).toBe('crossed');
    expect(s.isLive('BTC-USD')).toBe(false);
    expect(s.onL2Event(snapshot('BTC-USD', [['101', '1']], [['100', '1']]), 3, null)).toBe('crossed');
  });
});
