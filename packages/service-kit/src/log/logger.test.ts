import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { redactUrlCredentials } from './redact';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>>; raw: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const raw = (): string => chunks.join('');
  return {
    stream,
    raw,
    lines: () =>
      raw()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes JSON lines with name, level and time', () => {
    const out = capture();
    const log = createLogger({ name: 'detector', level: 'debug', destination: out.stream });
    log.debug({ venue: 'binance' }, 'hello');
    const [line] = out.lines();
    expect(line).toMatchObject({ name: 'detector', level: 20, venue: 'binance', msg: 'hello' });
    expect(typeof line?.time).toBe('number');
  });

  it('redacts secret keys at any depth, in fields and child bindings', () => {
    const out = capture();
    const log = createLogger({ name: 't', destination: out.stream });
    const child = log.child({ apiKey: 'AK-123', venue: 'okx' });
    child.info(
      {
        password: 'p1',
        nested: { deeper: [{ api_secret: 's2', passphrase: 'pp', Authorization: 'Bearer x', keep: 'visible' }] },
        headers: { 'X-MBX-APIKEY': 'header-key-value', 'OK-ACCESS-SIGN': 'sig-not-matched-by-key', signature: 'abc' },
        privateKey: 'pk-value',
        jwt: 'jwt-value',
        accessToken: 'token-value',
        fencingToken: 42,
      },
      'm',
    );
    const text = out.raw();
    for (const secret of ['AK-123', '"p1"', '"s2"', '"pp"', 'Bearer x', '"abc"', 'pk-value', 'jwt-value', 'token-value', 'header-key-value']) {
      expect(text).not.toContain(secret);
    }
    const [line] = out.lines();
    expect(line).toMatchObject({
      apiKey: '[REDACTED]',
      venue: 'okx',
      password: '[REDACTED]',
      nested: { deeper: [{ api_secret: '[REDACTED]', keep: 'visible' }] },
      privateKey: '[REDACTED]',
      fencingToken: 42,
    });
  });

  it('masks credentials in URLs in fields, messages and errors', () => {
    const out = capture();
    const log = createLogger({ name: 't', destination: out.stream });
    log.info({ url: 'redis://:hunter2@127.0.0.1:6379/0' }, 'connecting to nats://user:pw@nats:4222');
    log.error(new Error('cannot reach redis://:hunter2@db:6379'));
    log.warn({ err: new Error('outer', { cause: new Error('inner https://tok3n@h/x') }) }, 'failed');
    const text = out.raw();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(':pw@');
    expect(text).not.toContain('tok3n');
    const [first, second, third] = out.lines();
    expect(first).toMatchObject({ url: 'redis://:***@127.0.0.1:6379/0', msg: 'connecting to nats://user:***@nats:4222' });
    expect(second).toMatchObject({ msg: 'cannot reach redis://:***@db:6379', err: { type: 'Error' } });
    expect(third).toMatchObject({ err: { message: 'outer', cause: { message: 'inner https://***@h/x' } } });
    expect(typeof (third?.err as { stack?: unknown }).stack).toBe('string');
  });

  it('survives cycles', () => {
    const out = capture();
    const log = createLogger({ name: 't', destination: out.stream });
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    log.info({ a }, 'cyclic');
    expect(out.lines()[0]).toMatchObject({ a: { name: 'a', self: '[Circular]' } });
  });
});

describe('redactUrlCredentials', () => {
  it.each([
    ['redis://:pw@host:6379', 'redis://:***@host:6379'],
    ['amqp://user:pass@h/v', 'amqp://user:***@h/v'],
    ['https://token@github.com/x', 'https://***@github.com/x'],
    ['https://example.com/a@b', 'https://example.com/a@b'],
    ['mail me at a@b.c', 'mail me at a@b.c'],
    ['two: redis://:a@x and nats://u:b@y', 'two: redis://:***@x and nats://u:***@y'],
  ])('%s', (input, expected) => {
    expect(redactUrlCredentials(input)).toBe(expected);
  });
});
