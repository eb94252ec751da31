import { feedFault } from './feed-fault';
import type { Scenario } from './scenario';

/** Both venues replace 2 % of their market-data messages by corrupted ones (bad JSON, bad fields, wrong types). */
export const corruptFrames: Scenario = {
  name: 'corrupt-frames',
  fault: 'both venues corrupt 2 % of market-data messages (corruptRate: 0.02: truncated JSON, bad numbers, wrong types, bad fields)',
  run: (ctx) => feedFault(ctx, { venues: ['binance', 'coinbase'], patch: { corruptRate: 0.02 }, injected: 'messagesCorrupted', what: 'messages corrupted' }),
};
