import { Coalescer } from './coalescer';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Coalescer', () => {
  it('publishes only the latest value per key when offers outrun flushing', async () => {
    const flushed: Array<[string, number]> = [];
    const c = new Coalescer<string, number>((k, v) => flushed.push([k, v]));
    for (let i = 1; i <= 1000; i++) c.offer(i % 2 === 0 ? 'a' : 'b', i);
    expect(c.size).toBe(2);
    await nextTurn();
    await nextTurn();
    expect(flushed).toEqual([
      ['b', 999],
      ['a', 1000],
    ]);
    expect(c.replaced).toBe(998);
    expect(c.size).toBe(0);
  });

  it('flushes each turn separately and honours discard', async () => {
    const flushed: number[] = [];
    const c = new Coalescer<string, number>((_k, v) => flushed.push(v));
    c.offer('a', 1);
    await nextTurn();
    c.offer('a', 2);
    c.discard('a');
    c.offer('b', 3);
    await nextTurn();
    expect(flushed).toEqual([1, 3]);
  });
});
