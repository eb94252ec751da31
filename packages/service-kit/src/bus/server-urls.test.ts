import { splitServerCredentials } from './server-urls';
import { inboxPrefixOf } from './bus';

describe('splitServerCredentials', () => {
  it('leaves plain URLs alone', () => {
    expect(splitServerCredentials(['nats://127.0.0.1:4222'])).toEqual({ servers: ['nats://127.0.0.1:4222'] });
  });
  it('moves user and password out of the URL (URL-decoded)', () => {
    expect(splitServerCredentials(['nats://detector:p%40ss@nats:4222', 'nats://detector:p%40ss@nats-2:4222'])).toEqual({
      servers: ['nats://nats:4222', 'nats://nats-2:4222'],
      user: 'detector',
      pass: 'p@ss',
    });
  });
  it('refuses URLs with different credentials', () => {
    expect(() => splitServerCredentials(['nats://a:1@x:4222', 'nats://b:2@y:4222'])).toThrow(/same credentials/);
  });
});

describe('inboxPrefixOf', () => {
  it('gives each logged-in user its own inbox prefix, anonymous connections none', () => {
    expect(inboxPrefixOf('detector')).toBe('_INBOX_detector');
    expect(inboxPrefixOf('feed-binance')).toBe('_INBOX_feed-binance');
    expect(inboxPrefixOf('a.b*c>')).toBe('_INBOX_a_b_c_');
    expect(inboxPrefixOf(undefined)).toBeUndefined();
    expect(inboxPrefixOf('')).toBeUndefined();
  });
});
