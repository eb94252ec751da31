/**
 * Bus fuzz against a real nats-server: N random / mutated payloads on a subject subscribed with a validator. The
 * subscriber never crashes (it still delivers afterwards), every invalid payload is counted once in
 * `bus_invalid_messages_total`, every valid one is delivered intact and in order, handler failures are counted apart,
 * and the invalid ones are logged rate-limited. `FUZZ_RUNS=<n>` sends n payloads; `FUZZ_SEED=<s>` replays a run.
 */
import { subjects, validators, type BookSnapshot } from '@arb/contracts';
import { startNats } from '@arb/testkit';
import fc from 'fast-check';
import { connectBus, type Bus } from '../src/bus/bus';
import { createMetricsRegistry } from '../src/metrics/registry';
import { memoryLogger, metricValue, waitFor } from './helpers';

const N = ((n) => (Number.isInteger(n) && n > 0 ? n : 1500))(Number(process.env.FUZZ_RUNS));
const SEED = ((s) => (Number.isInteger(s) ? s : Date.now() % 2 ** 31))(Number(process.env.FUZZ_SEED ?? 'x'));
const SUBJECT = subjects.book('fuzz', 'BTC-USDT');
const SCHEMA = validators.BookSnapshot.schemaId;

const decimal = fc.tuple(fc.oneof(fc.constant('0'), fc.integer({ min: 1, max: 10 ** 9 }).map(String)), fc.option(fc.stringMatching(/^[0-9]{1,10}$/), { nil: undefined })).map(([i, f]) => (f === undefined ? i : `${i}.${f}`));
const level = fc.tuple(decimal, decimal);
const ts = fc.double({ min: 0, max: 2e12, noNaN: true });
const book: fc.Arbitrary<BookSnapshot> = fc.record({
  v: fc.constant(1 as const),
  venue: fc.constant('fuzz'),
  symbol: fc.constant('BTC-USDT'),
  seq: fc.nat(),
  venueSeq: fc.nat(),
  venueTs: fc.option(ts),
  recvTs: ts,
  pubTs: ts,
  bids: fc.array(level, { maxLength: 8 }),
  asks: fc.array(level, { maxLength: 8 }),
});
const KEYS = ['v', 'venue', 'symbol', 'seq', 'venueSeq', 'venueTs', 'recvTs', 'pubTs', 'bids', 'asks'] as const;
const junk = fc.oneof(
  fc.constantFrom<unknown>(null, true, '', '1e5', '-1', 'NaN', '01', '.5', -1, 1.5, 1e21, 2, [], {}, [['1', '2', '3']], [[1, 2]], [['-1', '1']], 'x'.repeat(70)),
  fc.jsonValue({ maxDepth: 3 }),
);
/** A valid book with one field removed, replaced, a level broken or an unknown field added (may stay valid). */
const mutated = fc.tuple(book, fc.constantFrom(...KEYS), fc.constantFrom('remove', 'replace', 'level', 'extra'), junk).map(([b, key, op, j]) => {
  const out: Record<string, unknown> = { ...b };
  if (op === 'remove') delete out[key];
  else if (op === 'replace') out[key] = j;
  else if (op === 'level') out.bids = [...b.bids, [j, '1']];
  else out.extra = j;
  return out;
});
const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v) ?? 'undefined');
const payload: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: book.map(enc) },
  { weight: 4, arbitrary: mutated.map(enc) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }).map((t) => new TextEncoder().encode(t)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }).map((t) => new TextEncoder().encode(t)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }) },
  { weight: 1, arbitrary: fc.tuple(book, fc.integer({ min: 1, max: 300 })).map(([b, cut]) => enc(b).slice(0, -cut)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 50_000 }).map((n) => new TextEncoder().encode(`${'['.repeat(n)}${']'.repeat(n)}`)) },
);

/** What the subscriber must make of a payload: the message it delivers, or undefined when it must drop it. */
function expected(data: Uint8Array): BookSnapshot | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
  return validators.BookSnapshot.check(value) ? value : undefined;
}

describe('Bus fuzz (real nats-server)', () => {
  let nats: Awaited<ReturnType<typeof startNats>>;
  let sub: Bus;
  let pub: Bus;
  const registry = createMetricsRegistry({ service: 'bus-fuzz', defaultMetrics: false });
  const log = memoryLogger();

  beforeAll(async () => {
    nats = await startNats();
    sub = await connectBus({ url: nats.url, name: 'bus-fuzz-sub', logger: log.logger, registry });
    pub = await connectBus({ url: nats.url, name: 'bus-fuzz-pub', logger: memoryLogger().logger, registry: createMetricsRegistry({ service: 'bus-fuzz-pub', defaultMetrics: false }) });
  });

  afterAll(async () => {
    await pub?.close();
    await sub?.close();
    await nats?.stop();
  });

  it(`${N} random and mutated payloads: invalid ones counted exactly, valid ones delivered intact and in order (FUZZ_SEED=${SEED})`, async () => {
    const payloads = fc.sample(payload, { numRuns: N, seed: SEED });
    const valid = payloads.map(expected).filter((b): b is BookSnapshot => b !== undefined);
    const invalid = payloads.length - valid.length;
    expect(valid.length).toBeGreaterThan(0);
    expect(invalid).toBeGreaterThan(0);

    const got: BookSnapshot[] = [];
    let thrown = 0;
    const s = sub.subscribe(SUBJECT, validators.BookSnapshot, async (msg) => {
      got.push(msg);
      // Some handlers fail (sync and async): counted apart, never taken for invalid messages or fatal.
      if (got.length % 97 === 0) {
        thrown++;
        throw new Error('handler failure');
      }
      if (got.length % 89 === 0) {
        thrown++;
        await Promise.reject(new Error('async handler failure'));
      }
    });
    await sub.flush();
    const before = {
      invalid: await metricValue(registry, 'bus_invalid_messages_total', { schema: SCHEMA }),
      received: await metricValue(registry, 'bus_received_total', { schema: SCHEMA }),
      errors: await metricValue(registry, 'bus_handler_errors_total', { schema: SCHEMA }),
    };

    // Paced in batches so that a long run (FUZZ_RUNS) never trips the server's slow-consumer limit.
    const handled = async (): Promise<number> =>
      (await metricValue(registry, 'bus_invalid_messages_total', { schema: SCHEMA })) - before.invalid + (await metricValue(registry, 'bus_received_total', { schema: SCHEMA })) - before.received;
    for (let i = 0; i < payloads.length; i += 250) {
      for (const p of payloads.slice(i, i + 250)) pub.nc.publish(SUBJECT, p);
      await pub.flush();
      const sent = Math.min(i + 250, payloads.length);
      await waitFor(async () => (await handled()) >= sent, 30_000, `the first ${sent} payloads handled`);
    }
    // A last valid message: once it is delivered, everything before it was handled, and the subscription is alive.
    const sentinel: BookSnapshot = { v: 1, venue: 'fuzz', symbol: 'BTC-USDT', seq: 424242, venueSeq: 1, venueTs: null, recvTs: 1, pubTs: 2, bids: [], asks: [] };
    pub.publish(SUBJECT, validators.BookSnapshot, sentinel);
    await pub.flush();
    await waitFor(() => got.length === valid.length + 1, 30_000, 'every valid payload and the sentinel');
    await s.drain();

    expect(got).toEqual([...valid, sentinel]);
    expect((await metricValue(registry, 'bus_invalid_messages_total', { schema: SCHEMA })) - before.invalid).toBe(invalid);
    expect((await metricValue(registry, 'bus_received_total', { schema: SCHEMA })) - before.received).toBe(valid.length + 1);
    expect((await metricValue(registry, 'bus_handler_errors_total', { schema: SCHEMA })) - before.errors).toBe(thrown);
    // Logged rate-limited (once per interval per schema), not once per message.
    expect(log.lines.filter((l) => l.msg === 'invalid message dropped').length).toBe(1);
    expect(sub.isClosed()).toBe(false);
  }, 120_000 + N * 10);
});
