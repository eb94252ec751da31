import { InvalidNameError } from './errors';
import { parseBookSubject, subjects } from './subjects';
import { buckets, consumers, memberKeys, streams } from './jetstream-names';
import { redisKeys } from './redis-keys';

describe('subjects', () => {
  it('builds every subject from its parts', () => {
    expect(subjects.book('binance', 'BTC-USDT')).toBe('md.book.binance.BTC-USDT');
    expect(subjects.books()).toBe('md.book.>');
    expect(subjects.books('coinbase')).toBe('md.book.coinbase.>');
    expect(subjects.booksOfSymbol('ETH-USDT')).toBe('md.book.*.ETH-USDT');
    expect(subjects.status('binance')).toBe('md.status.binance');
    expect(subjects.statuses()).toBe('md.status.*');
    expect(subjects.opportunity('BTC-USDT')).toBe('arb.opp.BTC-USDT');
    expect(subjects.opportunities()).toBe('arb.opp.>');
    expect(subjects.execution('BTC-USDT')).toBe('arb.exec.BTC-USDT');
    expect(subjects.executions()).toBe('arb.exec.>');
  });

  it.each(['', 'btc.usdt', 'BTC*', '>', 'a b', 'x:y', 'z'.repeat(65)])('rejects the token %j', (bad) => {
    expect(() => subjects.book('binance', bad)).toThrow(InvalidNameError);
    expect(() => subjects.status(bad)).toThrow(/invalid venue/);
  });

  it('parses a book subject back, and nothing else', () => {
    expect(parseBookSubject(subjects.book('coinbase', 'BTC-USD'))).toEqual({ venue: 'coinbase', symbol: 'BTC-USD' });
    expect(parseBookSubject('md.status.binance')).toBeNull();
    expect(parseBookSubject('md.book.binance')).toBeNull();
  });

  it('stream subjects cover the builders', () => {
    expect(streams.opportunities.subjects).toContain(subjects.opportunities());
    expect(streams.executions.subjects).toContain(subjects.executions());
    expect(streams.opportunities.name).toBe('ARB_OPPS');
    expect(streams.executions.name).toBe('ARB_EXECS');
    expect(buckets.config).toBe('arb_config');
    expect(buckets.members).toBe('arb_members');
    expect(memberKeys.member('detector', 'det-0-ab12')).toBe('detector.det-0-ab12');
    expect(memberKeys.group('detector')).toBe('detector.>');
    expect(() => memberKeys.member('detector', 'a.b')).toThrow(/invalid member/);
    expect(consumers.executor()).toBe('executor');
    expect(consumers.stats('a')).toBe('stats-a');
  });
});

describe('redis keys', () => {
  it('builds every key', () => {
    expect(redisKeys.book('binance', 'BTC-USDT')).toBe('arb:book:binance:BTC-USDT');
    expect(redisKeys.semaphore('trades')).toBe('arb:sem:trades');
    expect(redisKeys.semaphoreFence('trades')).toBe('arb:sem:trades:fence');
    expect(redisKeys.routeLock('BTC-USDT', 'binance', 'coinbase')).toBe('arb:lock:route:BTC-USDT:binance:coinbase');
    expect(redisKeys.oppDone('abc12345')).toBe('arb:opp:done:abc12345');
    expect(redisKeys.inventory('coinbase', 'USDT')).toBe('arb:inv:coinbase:USDT');
    expect(redisKeys.inflight('exec-1')).toBe('arb:inflight:exec-1');
  });

  it('refuses a part that would change the key structure', () => {
    expect(() => redisKeys.book('bin:ance', 'BTC-USDT')).toThrow(InvalidNameError);
    expect(() => redisKeys.oppDone('a b')).toThrow(InvalidNameError);
  });
});
