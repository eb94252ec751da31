import { connect, type NatsConnection } from '@nats-io/transport-node';
import { subjects, validators, type BookSnapshot, type FeedStatus } from '@arb/contracts';
import { startNats, type NatsHandle, type ServiceProcess } from '@arb/testkit';
import { controlJson, sleep, startIngestor, startSim, type SimProcess } from './stack';

const STALE_AFTER_MS = 500;
const RECONNECT_MAX_MS = 500;

describe('a silently frozen feed', () => {
  let nats: NatsHandle;
  let sim: SimProcess;
  let ingestor: ServiceProcess;
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await startNats();
    sim = await startSim({ ARB__SIM__RATE__LEVEL_UPDATES_PER_SEC: '4000' });
    ingestor = await startIngestor('binance', nats.url, sim, { ARB__FEED__STALE_AFTER_MS: String(STALE_AFTER_MS), ARB__FEED__RECONNECT__MAX_MS: String(RECONNECT_MAX_MS) });
    nc = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await nc?.close();
    await ingestor?.stop();
    await sim?.proc.stop();
    await nats?.stop();
  });

  it('is marked stale within the configured staleness, and nothing is published as live while frozen', async () => {
    const events: Array<{ kind: 'book'; b: BookSnapshot } | { kind: 'status'; s: FeedStatus }> = [];
    // Callback subscriptions run in the order the messages arrive on the one connection, so `events` keeps the
    // publish order across the two subjects (two async iterators would not guarantee that).
    const bookSub = nc.subscribe(subjects.books('binance'), {
      callback: (_e, m) => {
        events.push({ kind: 'book', b: validators.BookSnapshot.decode(m.data) });
      },
    });
    const statusSub = nc.subscribe(subjects.status('binance'), {
      callback: (_e, m) => {
        events.push({ kind: 'status', s: validators.FeedStatus.decode(m.data) });
      },
    });
    const deadline = Date.now() + 10_000;
    while (!events.some((e) => e.kind === 'status' && e.s.state === 'live') && Date.now() < deadline) await sleep(50);

    const freeze = await controlJson(sim, '/control/faults', { venue: 'binance', faults: { freezeEveryS: 1, freezeMs: 2500 } });
    expect(freeze.status).toBe(200);
    const staleDeadline = Date.now() + 6000;
    const firstStale = (): number => events.findIndex((e) => e.kind === 'status' && e.s.symbols['BTC-USDT']?.state === 'stale');
    while (firstStale() < 0 && Date.now() < staleDeadline) await sleep(20);
    await controlJson(sim, '/control/faults', { venue: 'binance', reset: true });
    await sleep(300);
    bookSub.unsubscribe();
    statusSub.unsubscribe();

    const idx = firstStale();
    expect(idx).toBeGreaterThan(0);
    const stale = events[idx] as { kind: 'status'; s: FeedStatus };
    const lastBook = events
      .slice(0, idx)
      .filter((e): e is { kind: 'book'; b: BookSnapshot } => e.kind === 'book' && e.b.symbol === 'BTC-USDT')
      .at(-1);
    expect(lastBook).toBeDefined();
    // Detected within staleAfterMs plus one check interval (staleAfterMs / 4) and scheduling slack.
    expect(stale.s.ts - lastBook!.b.recvTs).toBeGreaterThanOrEqual(STALE_AFTER_MS);
    expect(stale.s.ts - lastBook!.b.recvTs).toBeLessThan(STALE_AFTER_MS * 1.25 + 100);
    // No book of that symbol was published after it went stale until a status said live again.
    const after = events.slice(idx + 1);
    const liveAgain = after.findIndex((e) => e.kind === 'status' && e.s.symbols['BTC-USDT']?.state === 'live');
    const whileStale = (liveAgain < 0 ? after : after.slice(0, liveAgain)).filter((e) => e.kind === 'book' && e.b.symbol === 'BTC-USDT');
    expect(whileStale).toEqual([]);
  }, 30_000);

  it('after a long freeze it is live again within feed.reconnect.maxMs of the venue speaking again', async () => {
    const states: Array<{ at: number; state: string }> = [];
    const sub = nc.subscribe(subjects.status('binance'), { callback: (_e, m) => {
        states.push({ at: Date.now(), state: validators.FeedStatus.decode(m.data).state });
      },
    });
    const deadline = Date.now() + 10_000;
    while (states.at(-1)?.state !== 'live' && Date.now() < deadline) await sleep(50);
    expect(states.at(-1)?.state).toBe('live');

    // 8 s of silence: every attempt meanwhile connects, hears nothing for deadAfterFactor x staleAfterMs and is
    // dropped, so the reconnect delay keeps doubling; uncapped (30 s before feed.reconnect) it reaches seconds.
    expect((await controlJson(sim, '/control/faults', { venue: 'binance', faults: { freezeEveryS: 0.05, freezeMs: 600_000 } })).status).toBe(200);
    await sleep(8000);
    const thaw = Date.now();
    await controlJson(sim, '/control/faults', { venue: 'binance', reset: true });
    while (!states.some((s) => s.at > thaw && s.state === 'live') && Date.now() < thaw + 15_000) await sleep(20);
    sub.unsubscribe();
    expect(states.some((s) => s.at < thaw && s.state !== 'live')).toBe(true);
    const back = states.find((s) => s.at > thaw && s.state === 'live');
    expect(back).toBeDefined();
    // The wait for the next attempt (at most maxMs), connect, REST snapshot and sync, plus scheduling slack.
    expect((back?.at ?? Infinity) - thaw).toBeLessThan(RECONNECT_MAX_MS + 1000);
  }, 40_000);
});
