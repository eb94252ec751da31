import { SymbolPartition } from '@arb/domain';
import {
  buildDetector,
  closeTestClient,
  FakeFeeds,
  OppCollector,
  openTestClient,
  sleep,
  startDetectorProcess,
  startServers,
  THRESHOLDS,
  venuesEnv,
  waitFor,
  type DetectorProcess,
  type Servers,
  type Side,
} from './harness';
import type { Bus } from '@arb/service-kit';

const SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'ADA-USDT', 'XRP-USDT', 'DOT-USDT'];
const BALANCES = `{USDT: "1000000", ${SYMBOLS.map((s) => `${s.split('-')[0]}: "100"`).join(', ')}}`;
const DISLOCATION: Record<string, Side> = {
  east: { bids: [['99.90', '5']], asks: [['100.00', '1'], ['100.10', '2'], ['100.50', '5']] },
  west: { bids: [['101.00', '1.5'], ['100.80', '1'], ['100.30', '10']], asks: [['101.20', '5']] },
};

describe('detector replicas split the symbols (partition index/count, real processes)', () => {
  let servers: Servers;
  const replicas: DetectorProcess[] = [];
  let bus: Bus;
  let feeds: FakeFeeds;
  let opps: OppCollector;

  beforeAll(async () => {
    buildDetector();
    servers = await startServers();
    for (const index of [0, 1]) {
      replicas.push(
        await startDetectorProcess(servers, {
          ARB_INSTANCE: `detector-${index}`,
          ARB__SYMBOLS: `[${SYMBOLS.join(', ')}]`,
          ARB__DETECTOR__PARTITION__INDEX: String(index),
          ARB__DETECTOR__PARTITION__COUNT: '2',
          ...venuesEnv(['east', 'west'], BALANCES),
          ...THRESHOLDS,
          ARB__DETECTOR__EXECUTION_WINDOW_MS: '5000',
          ARB__DETECTOR__MIRROR__ENABLED: 'false',
        }),
      );
    }
    ({ bus, opps, feeds } = await openTestClient(servers, 'partition-test-client', ['east', 'west'], SYMBOLS));
    await sleep(300);
  });

  afterAll(async () => {
    await closeTestClient({ feeds, opps, bus });
    const exits = await Promise.all(replicas.map((r) => r.proc.stop()));
    await servers?.stop();
    expect(exits.map((e) => e.code)).toEqual(replicas.map(() => 0));
  });

  it('each symbol is evaluated by exactly one replica and its opportunity is published once', async () => {
    const owners = [0, 1].map((index) => new SymbolPartition({ index, count: 2 }).ownedOf(SYMBOLS));
    expect(owners[0]?.length).toBeGreaterThan(0);
    expect(owners[1]?.length).toBeGreaterThan(0);
    for (const s of SYMBOLS) await feeds.pump(s, DISLOCATION, { durationMs: 450 });
    await waitFor(() => SYMBOLS.every((s) => opps.of(s).length >= 1), 10_000, 'an opportunity per symbol');
    await sleep(200);
    for (const s of SYMBOLS) expect(opps.of(s)).toHaveLength(1);
    for (const [index, det] of replicas.entries()) {
      for (const s of SYMBOLS) {
        const mine = owners[index]?.includes(s) === true;
        const received = await det.metric('detector_books_received_total', { symbol: s });
        const published = await det.metric('detector_opportunities_total', { symbol: s });
        expect({ replica: index, symbol: s, received: received > 0, published }).toEqual({
          replica: index,
          symbol: s,
          received: mine,
          published: mine ? 1 : 0,
        });
      }
      const stats = (await (await fetch(`${det.url}/stats`)).json()) as { symbols: string[] };
      expect([...stats.symbols].sort()).toEqual([...(owners[index] ?? [])].sort());
    }
  });
});
