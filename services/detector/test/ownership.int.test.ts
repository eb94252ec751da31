import { nowMs, rendezvousOwner, type Bus } from '@arb/service-kit';
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

const SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'ADA-USDT', 'XRP-USDT', 'DOT-USDT', 'LTC-USDT', 'AVAX-USDT', 'LINK-USDT'];
const BALANCES = `{USDT: "1000000", ${SYMBOLS.map((s) => `${s.split('-')[0]}: "100"`).join(', ')}}`;
const DISLOCATION: Record<string, Side> = {
  east: { bids: [['99.90', '5']], asks: [['100.00', '1'], ['100.10', '2'], ['100.50', '5']] },
  west: { bids: [['101.00', '1.5'], ['100.80', '1'], ['100.30', '10']], asks: [['101.20', '5']] },
};
const REPLICAS = 3;
// The shipped heartbeatMs/ttlMs are used; only the mode differs from the default (static, one replica).
const DYNAMIC = { ARB__DETECTOR__PARTITION__MODE: 'dynamic' };

interface Stats {
  symbols: string[];
  partition: { mode: string; member: string; members: string[] };
}

interface OwnershipLine {
  time: number;
  owned: string[];
}

const stats = async (d: DetectorProcess): Promise<Stats> => (await (await fetch(`${d.url}/stats`)).json()) as Stats;

/** Every 'symbol ownership changed' log line of a replica, in order. */
function ownershipLines(d: DetectorProcess): OwnershipLine[] {
  return d.proc
    .lines()
    .filter((l) => l.includes('"symbol ownership changed"'))
    .map((l) => JSON.parse(l) as OwnershipLine);
}

/** Intervals [from, to) during which `symbol` was owned, from a replica's ownership log (`end` closes the last one). */
function intervals(lines: readonly OwnershipLine[], symbol: string, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from: number | undefined;
  for (const l of lines) {
    const has = l.owned.includes(symbol);
    if (has && from === undefined) from = l.time;
    if (!has && from !== undefined) {
      out.push([from, l.time]);
      from = undefined;
    }
  }
  if (from !== undefined) out.push([from, end]);
  return out;
}

/** Longest time any symbol was owned by two replicas at once (ms), per the replicas' own logs. */
function longestDoubleOwnership(logs: ReadonlyArray<{ lines: OwnershipLine[]; end: number }>): number {
  let worst = 0;
  for (const s of SYMBOLS) {
    const all = logs.map((r) => intervals(r.lines, s, r.end));
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        for (const [a0, a1] of all[i] ?? []) for (const [b0, b1] of all[j] ?? []) worst = Math.max(worst, Math.min(a1, b1) - Math.max(a0, b0));
      }
    }
  }
  return worst;
}

describe('dynamic partition: a SIGKILLed detector replica’s symbols are picked up by the survivors (real processes)', () => {
  let servers: Servers;
  const replicas: DetectorProcess[] = [];
  let bus: Bus;
  let feeds: FakeFeeds;
  let opps: OppCollector;

  beforeAll(async () => {
    buildDetector();
    servers = await startServers();
    process.stdout.write(`detector ownership test: ${REPLICAS} replicas with detector.partition.mode=dynamic (default static: one replica)\n`);
    for (let i = 0; i < REPLICAS; i++) {
      replicas.push(
        await startDetectorProcess(servers, {
          ARB_INSTANCE: `detector-${i}`,
          ARB__SYMBOLS: `[${SYMBOLS.join(', ')}]`,
          ...DYNAMIC,
          ...venuesEnv(['east', 'west'], BALANCES),
          ...THRESHOLDS,
          ARB__DETECTOR__EXECUTION_WINDOW_MS: '5000',
          ARB__DETECTOR__MIRROR__ENABLED: 'false',
        }),
      );
    }
    ({ bus, opps, feeds } = await openTestClient(servers, 'ownership-test-client', ['east', 'west'], SYMBOLS));
  });

  afterAll(async () => {
    await closeTestClient({ feeds, opps, bus });
    const exits = await Promise.all(replicas.map((r) => r.proc.stop()));
    await servers?.stop();
    expect(exits.map((e) => e.signal ?? e.code)).toEqual(replicas.map((_, i) => (i === victimIndex ? 'SIGKILL' : 0)));
  });

  let victimIndex = -1;

  /** Waits until the live replicas agree on the members and their owned sets partition SYMBOLS; returns the sets. */
  async function settled(live: readonly DetectorProcess[]): Promise<Stats[]> {
    let last: Stats[] = [];
    await waitFor(
      async () => {
        last = await Promise.all(live.map(stats));
        const members = live.map((_, i) => last[i]?.partition.member ?? '').sort();
        const agree = last.every((s) => [...s.partition.members].sort().join() === members.join());
        const owned = last.flatMap((s) => s.symbols);
        return agree && owned.length === SYMBOLS.length && new Set(owned).size === SYMBOLS.length;
      },
      15_000,
      `${live.length} replicas agreeing on the members and splitting the symbols`,
    );
    return last;
  }

  it('splits the symbols by rendezvous hashing over the live replicas: each opportunity published once, by its owner', async () => {
    const views = await settled(replicas);
    const members = views.map((v) => v.partition.member);
    for (const [i, v] of views.entries()) {
      expect([...v.symbols].sort()).toEqual(SYMBOLS.filter((s) => rendezvousOwner(s, members) === members[i]).sort());
      expect(await replicas[i]!.metric('detector_owned_symbols')).toBe(v.symbols.length);
      expect(await replicas[i]!.metric('detector_partition_members')).toBe(REPLICAS);
    }
    await Promise.all(SYMBOLS.map((s) => feeds.pump(s, DISLOCATION, { durationMs: 450 })));
    await waitFor(() => SYMBOLS.every((s) => opps.of(s).length >= 1), 10_000, 'an opportunity per symbol');
    await sleep(200);
    for (const s of SYMBOLS) expect([s, opps.of(s).length]).toEqual([s, 1]);
    for (const [i, v] of views.entries()) {
      for (const s of SYMBOLS) {
        expect([i, s, await replicas[i]!.metric('detector_opportunities_total', { symbol: s })]).toEqual([i, s, v.symbols.includes(s) ? 1 : 0]);
      }
    }
  });

  it('after a SIGKILL, the survivors take the dead replica’s symbols (only those) and publish for them again', async () => {
    const before = await Promise.all(replicas.map(stats));
    victimIndex = before.reduce((best, v, i) => (v.symbols.length > (before[best]?.symbols.length ?? -1) ? i : best), 0);
    const victim = replicas[victimIndex]!;
    const orphaned = before[victimIndex]!.symbols;
    const survivors = replicas.filter((r) => r !== victim);
    expect(orphaned.length).toBeGreaterThan(0);

    const changesBefore = await Promise.all(survivors.map((r) => r.metric('detector_ownership_changes_total')));
    const killedAt = nowMs();
    await victim.proc.kill();
    // The market keeps moving on the orphaned symbols: books every 25 ms until each has an opportunity again.
    const seenBefore = opps.seen.length;
    let pumping = true;
    const pump = (async () => {
      while (pumping) await Promise.all(orphaned.map((s) => feeds.pump(s, DISLOCATION, { durationMs: 0 })));
    })();
    try {
      await waitFor(() => orphaned.every((s) => opps.seen.slice(seenBefore).some((o) => o.symbol === s)), 20_000, 'opportunities for every orphaned symbol');
    } finally {
      pumping = false;
      await pump;
    }

    const after = await settled(survivors);
    for (const [i, v] of after.entries()) {
      const was = before[replicas.indexOf(survivors[i]!)]!.symbols;
      // Minimal movement: a survivor keeps all it had and gains only orphaned symbols.
      expect(was.filter((s) => !v.symbols.includes(s))).toEqual([]);
      expect(v.symbols.filter((s) => !was.includes(s)).every((s) => orphaned.includes(s))).toBe(true);
      expect(v.partition.members).toHaveLength(REPLICAS - 1);
      const gainedSome = v.symbols.length > was.length;
      expect((await survivors[i]!.metric('detector_ownership_changes_total')) - changesBefore[i]!).toBeGreaterThanOrEqual(gainedSome ? 1 : 0);
      for (const s of orphaned) {
        const published = await survivors[i]!.metric('detector_opportunities_total', { symbol: s });
        expect([s, published > 0]).toEqual([s, v.symbols.includes(s)]);
      }
    }

    const taken = opps.seen.slice(seenBefore).filter((o) => orphaned.includes(o.symbol));
    const firstOpp = Math.min(...taken.map((o) => o.detectedTs)) - killedAt;
    const lastFirst = Math.max(...orphaned.map((s) => Math.min(...taken.filter((o) => o.symbol === s).map((o) => o.detectedTs)))) - killedAt;
    const gained = survivors.flatMap((r) => ownershipLines(r).filter((l) => l.time >= killedAt - 1)).map((l) => l.time - killedAt);
    const doubleMs = longestDoubleOwnership(replicas.map((r) => ({ lines: ownershipLines(r), end: r === victim ? killedAt : nowMs() })));
    process.stdout.write(
      `detector ownership: ${orphaned.length} symbols orphaned by the SIGKILL (ttlMs 2000, heartbeatMs 500); survivors re-assigned at ` +
        `+${gained.map((g) => g.toFixed(0)).join('/')} ms; first opportunity for a taken-over symbol +${firstOpp.toFixed(0)} ms, ` +
        `every orphaned symbol by +${lastFirst.toFixed(0)} ms; longest double ownership (joins at start-up, from the logs) ${doubleMs.toFixed(0)} ms\n`,
    );
    // A replica learns of a join or a death through one KV update or a sweep: the handover window is far below ttlMs.
    expect(doubleMs).toBeLessThan(2000);
    expect(gained.length).toBeGreaterThan(0);
  });
});
