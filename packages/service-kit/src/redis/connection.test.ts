import { Value } from '@sinclair/typebox/value';
import { RedisSection } from '../config/redis-section';
import { ConfigError } from '../errors';
import { redisConnection } from './connection';

const sentinel = { name: 'arb', nodes: ['s0:26379', '10.0.0.2:26380'], username: '', password: 'sentinel-pw' };

describe('redisConnection', () => {
  it('no Sentinel nodes: the URL as it is', () => {
    expect(redisConnection('redis://executor:pw@redis:6379', { ...sentinel, nodes: [] })).toEqual({ kind: 'url', url: 'redis://executor:pw@redis:6379' });
    expect(redisConnection('redis://redis:6379')).toEqual({ kind: 'url', url: 'redis://redis:6379' });
  });

  it('Sentinel nodes: the URL login (ACL user, decoded password, db) for the data nodes, the Sentinel password apart', () => {
    const c = redisConnection('redis://executor:p%40ss%2Fw@ignored:1/2', sentinel);
    expect(c.kind).toBe('sentinel');
    if (c.kind !== 'sentinel') return;
    expect(c.options).toMatchObject({
      name: 'arb',
      role: 'master',
      sentinels: [{ host: 's0', port: 26379 }, { host: '10.0.0.2', port: 26380 }],
      username: 'executor',
      password: 'p@ss/w',
      db: 2,
      sentinelPassword: 'sentinel-pw',
      failoverDetector: true,
    });
    expect(c.options.sentinelUsername).toBeUndefined();
    expect(c.options.tls).toBeUndefined();
    expect(c.where).toBe('sentinel arb via s0:26379,10.0.0.2:26380');
    expect(c.where).not.toContain('pw');
  });

  it('rediss:// means TLS to the data nodes; a database that is not a number is refused', () => {
    const c = redisConnection('rediss://u:p@h:6380', { ...sentinel, username: 'sent' });
    expect(c.kind === 'sentinel' ? [c.options.tls, c.options.sentinelUsername] : []).toEqual([{}, 'sent']);
    expect(() => redisConnection('redis://u:p@h:6379/x', sentinel)).toThrow(ConfigError);
  });
});

describe('RedisSection schema', () => {
  const check = (v: unknown): boolean => Value.Check(RedisSection, Value.Default(RedisSection, v));

  it('fills the Sentinel defaults (off) and accepts redis:// and rediss:// only', () => {
    expect(Value.Default(RedisSection, { url: 'redis://h:6379' })).toEqual({
      url: 'redis://h:6379',
      sentinel: { name: 'arb', nodes: [], username: '', password: '', ackReplicas: 1, ackTimeoutMs: 250 },
    });
    expect(check({ url: 'rediss://u:p@h:6380' })).toBe(true);
    expect(check({ url: 'http://h:6379' })).toBe(false);
    expect(check({ url: 'h:6379' })).toBe(false);
  });

  it('refuses Sentinel nodes without a port and negative acknowledgement counts', () => {
    expect(check({ url: 'redis://h', sentinel: { nodes: ['s0:26379'] } })).toBe(true);
    expect(check({ url: 'redis://h', sentinel: { nodes: ['s0'] } })).toBe(false);
    expect(check({ url: 'redis://h', sentinel: { ackReplicas: -1 } })).toBe(false);
  });
});
