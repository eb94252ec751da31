import type { BusSubscription } from '@arb/service-kit';
import { BookSubscriptions } from './book-subscriptions';

function fakeSub(subject: string, log: string[]): BusSubscription {
  return {
    subject,
    unsubscribe: () => log.push(`unsub ${subject}`),
    drain: () => {
      log.push(`drain ${subject}`);
      return Promise.resolve();
    },
    closed: Promise.resolve(),
  };
}

describe('BookSubscriptions', () => {
  it('subscribes to new subjects, ends the dropped ones, keeps the rest; close drains what is left', async () => {
    const log: string[] = [];
    const subs = new BookSubscriptions((s) => {
      log.push(`sub ${s}`);
      return fakeSub(s, log);
    });
    expect(subs.set(['a', 'b'])).toEqual({ added: ['a', 'b'], removed: [] });
    expect(subs.set(['b', 'c'])).toEqual({ added: ['c'], removed: ['a'] });
    expect(subs.subjects().sort()).toEqual(['b', 'c']);
    await subs.close();
    expect(log).toEqual(['sub a', 'sub b', 'unsub a', 'sub c', 'drain b', 'drain c']);
    expect(subs.subjects()).toEqual([]);
  });
});
