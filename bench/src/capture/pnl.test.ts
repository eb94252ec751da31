import Big from 'big.js';
import { legOutcome, ordersPnl } from './pnl';
import type { SimOrder, TradeRecord } from './records';

const order = (o: Partial<SimOrder> & Pick<SimOrder, 'clientOrderId' | 'side'>): SimOrder => ({
  venue: o.side === 'buy' ? 'binance' : 'coinbase',
  symbol: 'BTC-USDT',
  requestedQty: '1',
  filledQty: '1',
  filledQuote: '100',
  fee: '0',
  feeAsset: 'USDT',
  ...o,
});
const trade: TradeRecord = { id: 't', route: 'BTC-USDT:binance>coinbase', symbol: 'BTC-USDT', ts: 0, size: '1', oracleQuote: '1', buyCid: 't-b', sellCid: 't-s', extraCids: [] };

describe('trade PnL and leg outcomes from the sim record', () => {
  it('fees come off the asset they were charged in (Binance buys in base)', () => {
    const buy = order({ clientOrderId: 't-b', side: 'buy', filledQuote: '100', fee: '0.0002', feeAsset: 'BTC' });
    const sell = order({ clientOrderId: 't-s', side: 'sell', filledQuote: '101', fee: '0.0303', feeAsset: 'USDT' });
    const r = ordersPnl([buy, sell], 'BTC-USDT', new Big('100.5'));
    // quote: −100 + 101 − 0.0303; base: 1 − 0.0002 − 1 = −0.0002, valued at the sell price 101
    expect(r.residualBase.toString()).toBe('-0.0002');
    expect(r.realized.toString()).toBe(new Big('0.9697').minus('0.0202').toString());
    expect(r.marked.toString()).toBe(new Big('0.9697').minus('0.0201').toString());
  });

  it('a one-legged leftover is realized at its own price, marked at the mark', () => {
    const buy = order({ clientOrderId: 't-b', side: 'buy', filledQuote: '100' });
    const sell = order({ clientOrderId: 't-s', side: 'sell', filledQty: '0', filledQuote: '0' });
    const r = ordersPnl([buy, sell], 'BTC-USDT', new Big('103'));
    expect(r.realized.toString()).toBe('0');
    expect(r.marked.toString()).toBe('3');
    expect(legOutcome(trade, new Map([['t-b', buy], ['t-s', sell]]))).toBe('one-legged');
  });

  it('classifies both / partial / none', () => {
    const m = (bq: string, sq: string): Map<string, SimOrder> =>
      new Map([
        ['t-b', order({ clientOrderId: 't-b', side: 'buy', filledQty: bq })],
        ['t-s', order({ clientOrderId: 't-s', side: 'sell', filledQty: sq })],
      ]);
    expect(legOutcome(trade, m('1', '1'))).toBe('both');
    expect(legOutcome(trade, m('0.5', '0.5'))).toBe('partial');
    expect(legOutcome(trade, m('0', '0'))).toBe('none');
    expect(legOutcome(trade, new Map())).toBe('none');
  });
});
