import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { createRateLimitedLog } from './rate-limited-log';

describe('createRateLimitedLog', () => {
  it('logs the first occurrence per kind, then at most once per interval with a suppressed count', () => {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        cb();
      },
    });
    let now = 1_000;
    const log = createRateLimitedLog(createLogger({ name: 't', destination: stream }), 5_000, { now: () => now });

    log('invalid:BookSnapshot', { subject: 'a' }, 'invalid message');
    log('invalid:BookSnapshot', { subject: 'b' }, 'invalid message');
    log('invalid:FeedStatus', { subject: 'c' }, 'invalid message');
    now += 4_999;
    log('invalid:BookSnapshot', { subject: 'd' }, 'invalid message');
    expect(lines.map((l) => l.subject)).toEqual(['a', 'c']);
    expect(lines[0]).toMatchObject({ kind: 'invalid:BookSnapshot', level: 40 });
    expect(lines[0]?.suppressed).toBeUndefined();

    now += 1;
    log('invalid:BookSnapshot', { subject: 'e' }, 'invalid message');
    expect(lines[2]).toMatchObject({ subject: 'e', suppressed: 2 });
    now += 10_000;
    log('invalid:BookSnapshot', { subject: 'f' }, 'invalid message');
    expect(lines[3]).toMatchObject({ subject: 'f' });
    expect(lines[3]?.suppressed).toBeUndefined();
  });

  it('forgets the oldest kinds beyond maxKinds', () => {
    const msgs: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        msgs.push((JSON.parse(chunk.toString()) as { kind: string }).kind);
        cb();
      },
    });
    const log = createRateLimitedLog(createLogger({ name: 't', destination: stream }), 60_000, { now: () => 0, maxKinds: 2 });
    log('a', {}, 'm');
    log('b', {}, 'm');
    log('c', {}, 'm'); // evicts a
    log('a', {}, 'm'); // logged again
    log('c', {}, 'm'); // still suppressed
    expect(msgs).toEqual(['a', 'b', 'c', 'a']);
  });
});
