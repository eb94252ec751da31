import { feedFault } from './feed-fault';
import type { Scenario } from './scenario';

/** Both venues drop 2 % of their market-data messages: the books' sequences have gaps. */
export const sequenceGap: Scenario = {
  name: 'sequence-gap',
  fault: 'both venues drop 2 % of market-data messages, so sequence numbers skip (dropRate: 0.02)',
  run: (ctx) => feedFault(ctx, { venues: ['binance', 'coinbase'], patch: { dropRate: 0.02 }, injected: 'messagesDropped', what: 'messages dropped' }),
};
