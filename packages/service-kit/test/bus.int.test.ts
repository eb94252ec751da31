import { subjects, validators, ValidationError, type BookSnapshot, type FeedStatus } from '@arb/contracts';
import { startNats } from '@arb/testkit';
import { BusError } from '../src/errors';
import { connectBus, type Bus } from '../src/bus/bus';
import { provisionJetStream } from '../src/jetstream/provision';
import { createMetricsRegistry } from '../src/metrics/registry';
import { book, memoryLogger, metricValue, waitFor } from './helpers';

type Nats = Awaited<ReturnType<typeof startNats>>;

describe('Bus (real nats-server)', () => {
  let nats: Nats;
  let bus: Bus;
  const registry = createMetricsRegistry({ service: 'bus-test', defaultMetrics: false });
  const log = memoryLogger();

  beforeAll(async () => {
    nats = await startNats();
    bus = await connectBus({ url: nats.url, name: 'bus-test', logger: log.logger, registry });
  });

  afterAll(async () => {
    await bus?.close();
    await nats?.stop();
  });

  it('round-trips a typed message and counts it', async () => {
    const got: BookSnapshot[] = [];
    const sub = bus.subscribe(subjects.books('binance'), validators.BookSnapshot, (msg) => {
      got.push(msg);
    });
    await bus.flush();
    bus.publish(subjects.book('binance', 'BTC-USDT'), validators.BookSnapshot, book(1));
    await waitFor(() => got.length === 1, 5_000, 'message');
    expect(got[0]).toEqual(book(1));
    expect(await metricValue(registry, 'bus_published_total', { schema: 'BookSnapshot' })).toBeGreaterThanOrEqual(1);
    expect(await metricValue(registry, 'bus_received_total', { schema: 'BookSnapshot' })).toBeGreaterThanOrEqual(1);
    await sub.drain();
  });

  it('refuses to publish an invalid message (a publisher bug)', () => {
    const bad = { ...book(1), bids: [[65000.01, 0.5]] } as unknown as BookSnapshot;
    expect(() => bus.publish(subjects.book('binance', 'BTC-USDT'), validators.BookSnapshot, bad)).toThrow(ValidationError);
  });

  it('drops bad JSON and schema-invalid messages, counts and logs them once per interval, and keeps delivering', async () => {
    const subject = subjects.book('okx', 'ETH-USDT');
    const got: number[] = [];
    const sub = bus.subscribe(subject, validators.BookSnapshot, (msg) => {
      got.push(msg.seq);
    });
    await bus.flush();
    const before = await metricValue(registry, 'bus_invalid_messages_total', { schema: 'BookSnapshot' });
    const logsBefore = log.lines.filter((l) => l.msg === 'invalid message dropped').length;
    bus.nc.publish(subject, '{not json');
    bus.nc.publish(subject, JSON.stringify({ ...book(2, 'okx', 'ETH-USDT'), asks: 'nope' }));
    bus.nc.publish(subject, new Uint8Array([0xff, 0xfe]));
    bus.publish(subject, validators.BookSnapshot, book(3, 'okx', 'ETH-USDT'));
    await waitFor(() => got.length === 1, 5_000, 'the valid message');
    expect(got).toEqual([3]);
    expect(await metricValue(registry, 'bus_invalid_messages_total', { schema: 'BookSnapshot' })).toBe(before + 3);
    const invalidLogs = log.lines.filter((l) => l.msg === 'invalid message dropped');
    expect(invalidLogs.length - logsBefore).toBe(1);
    await sub.drain();
  });

  it('counts and logs handler errors (sync and async) without losing the subscription', async () => {
    const subject = subjects.status('kraken');
    const status = (ts: number): FeedStatus => ({
      v: 1,
      venue: 'kraken',
      state: 'live',
      ts,
      symbols: {},
      counters: { updates: 0, gaps: 0, checksumFailures: 0, resyncs: 0, reconnects: 0, rejected: 0 },
    });
    const seen: number[] = [];
    const sub = bus.subscribe(subject, validators.FeedStatus, async (msg) => {
      seen.push(msg.ts);
      if (msg.ts === 1) throw new Error('sync-ish failure');
      if (msg.ts === 2) await Promise.reject(new Error('async failure'));
    });
    await bus.flush();
    for (const ts of [1, 2, 3]) bus.publish(subject, validators.FeedStatus, status(ts));
    await waitFor(() => seen.length === 3, 5_000, 'three messages');
    await waitFor(async () => (await metricValue(registry, 'bus_handler_errors_total', { schema: 'FeedStatus' })) === 2);
    expect(log.lines.some((l) => l.msg === 'message handler failed')).toBe(true);
    await sub.drain();
  });

  it('delivers each message to one member of a queue group', async () => {
    const subject = subjects.book('bybit', 'BTC-USDT');
    const a: number[] = [];
    const b: number[] = [];
    const subA = bus.subscribe(subject, validators.BookSnapshot, (m) => void a.push(m.seq), { queue: 'q' });
    const subB = bus.subscribe(subject, validators.BookSnapshot, (m) => void b.push(m.seq), { queue: 'q' });
    await bus.flush();
    for (let i = 0; i < 20; i++) bus.publish(subject, validators.BookSnapshot, book(i, 'bybit'));
    await waitFor(() => a.length + b.length === 20, 5_000, 'all messages');
    expect([...a, ...b].sort((x, y) => x - y)).toEqual([...Array(20).keys()]);
    await Promise.all([subA.drain(), subB.drain()]);
  });

  it('runs async handlers one at a time with serial: true, and drain() waits for them', async () => {
    const subject = subjects.book('gate', 'BTC-USDT');
    let running = 0;
    let maxRunning = 0;
    const done: number[] = [];
    const sub = bus.subscribe(
      subject,
      validators.BookSnapshot,
      async (m) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        done.push(m.seq);
      },
      { serial: true },
    );
    await bus.flush();
    for (let i = 0; i < 5; i++) bus.publish(subject, validators.BookSnapshot, book(i, 'gate'));
    await bus.flush();
    await waitFor(() => done.length >= 1, 5_000, 'first handler');
    await sub.drain();
    expect(done).toEqual([0, 1, 2, 3, 4]);
    expect(maxRunning).toBe(1);
  });

  it('publishes to JetStream with Nats-Msg-Id de-duplication', async () => {
    await provisionJetStream(bus.nc);
    const report = {
      v: 1 as const,
      id: 'exec_1',
      oppId: 'opp_1',
      symbol: 'BTC-USDT',
      status: 'skipped' as const,
      legs: [],
      realizedPnlQuote: '0',
      realizedPnlUsd: '0',
      residualBase: '0',
      residualUsd: '0',
      fencingToken: null,
      executorId: 'executor-1',
      variant: 'default',
      timings: { receivedTs: 1, ordersSentTs: null, acksTs: null, finalTs: 2 },
    };
    const first = await bus.publishJs(subjects.execution('BTC-USDT'), validators.ExecutionReport, report, { msgId: report.id });
    const again = await bus.publishJs(subjects.execution('BTC-USDT'), validators.ExecutionReport, report, { msgId: report.id });
    expect(first).toMatchObject({ stream: 'ARB_EXECS', duplicate: false });
    expect(again).toMatchObject({ stream: 'ARB_EXECS', seq: first.seq, duplicate: true });
    await expect(
      bus.publishJs('nostream.here', validators.ExecutionReport, report, { timeoutMs: 500 }),
    ).rejects.toBeInstanceOf(BusError);
  });

  it('fails to connect with a BusError naming the server', async () => {
    const { port } = nats;
    await expect(
      connectBus({
        url: `nats://user:secret@127.0.0.1:${port + 1}`,
        name: 'nobody',
        logger: log.logger,
        registry,
        connect: { timeout: 500 },
      }),
    ).rejects.toThrow(/cannot connect to NATS at nats:\/\/user:\*\*\*@127\.0\.0\.1/);
  });

  it('drain() closes the connection after running handlers finish', async () => {
    const own = await connectBus({ url: nats.url, name: 'drainer', logger: log.logger, registry });
    let started = false;
    let finished = false;
    own.subscribe(subjects.book('mexc', 'BTC-USDT'), validators.BookSnapshot, async () => {
      started = true;
      await new Promise((r) => setTimeout(r, 100));
      finished = true;
    });
    await own.flush();
    bus.publish(subjects.book('mexc', 'BTC-USDT'), validators.BookSnapshot, book(1, 'mexc'));
    await bus.flush();
    await waitFor(() => started, 5_000, 'handler start');
    expect(finished).toBe(false);
    await own.drain();
    expect(finished).toBe(true);
    expect(own.isClosed()).toBe(true);
    await own.drain(); // idempotent
  });
});
