import { natsServerList } from './server-list';

describe('natsServerList', () => {
  it('takes one URL as a list of one', () => {
    expect(natsServerList('nats://127.0.0.1:4222')).toEqual(['nats://127.0.0.1:4222']);
  });
  it('splits a comma-separated list of a cluster, trimming blanks', () => {
    expect(natsServerList('nats://n1:4222, nats://n2:4222,,nats://n3:4222 ')).toEqual(['nats://n1:4222', 'nats://n2:4222', 'nats://n3:4222']);
  });
  it('flattens an array whose entries may hold lists', () => {
    expect(natsServerList(['nats://a:1,nats://b:2', 'nats://c:3'])).toEqual(['nats://a:1', 'nats://b:2', 'nats://c:3']);
  });
  it('refuses an empty value', () => {
    expect(() => natsServerList(' , ')).toThrow(/no NATS server URL/);
    expect(() => natsServerList([])).toThrow(/no NATS server URL/);
  });
});
