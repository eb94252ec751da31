import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { subjects, validators } from '@arb/contracts';
import { checkBookInvariants } from '@arb/domain';
import { loadConfig } from '@arb/service-kit';
import { REPO_ROOT, startBuiltService, startServers, type Servers, type ServiceProcess } from '@arb/testkit';
import { FeedIngestorConfig } from '../src/config';
import { startIngestor, startSim, type SimProcess } from './stack';

/** The generated 100-symbol world (scripts/gen-symbols.mjs), one overlay for every process. */
const OVERLAY = { ARB_CONFIG_FILE: join(REPO_ROOT, 'config/symbols-100.yaml') };
const VENUES = ['binance', 'coinbase'] as const;
const SYMBOLS = loadConfig(FeedIngestorConfig, { dir: join(REPO_ROOT, 'config'), mode: 'sim', env: OVERLAY }).symbols;

/** Sum of a Prometheus counter per label value of `by`, from a /metrics text. */
function perLabel(text: string, name: string, filter: string, by: string): Map<string, number> {
  const out = new Map<string, number>();
  const re = new RegExp(`^${name}\\{([^}]*)\\} ([0-9.e+]+)$`, 'gm');
  for (const m of text.matchAll(re)) {
    const labels = m[1] ?? '';
    if (!labels.includes(filter)) continue;
    const key = new RegExp(`${by}="([^"]+)"`).exec(labels)?.[1];
    if (key !== undefined) out.set(key, (out.get(key) ?? 0) + Number(m[2]));
  }
  return out;
}

describe('100 generated symbols: exchange-sim -> feed-ingestor per venue -> detector (real processes)', () => {
  let servers: Servers;
  let sim: SimProcess;
  const procs: ServiceProcess[] = [];
  let detectorUrl = '';
  let nc: NatsConnection;

  beforeAll(async () => {
    servers = await startServers();
    sim = await startSim(OVERLAY);
    for (const venue of VENUES) procs.push(await startIngestor(venue, servers.nats.url, sim, { ...OVERLAY, ARB_INSTANCE: `feed-${venue}` }));
    const detector = await startBuiltService({
      name: 'detector',
      entry: 'services/detector/dist/main.js',
      env: { ...OVERLAY, ARB_INSTANCE: 'detector-100', ARB__NATS__URL: servers.nats.url, ARB__REDIS__URL: servers.redis.url, ARB__HTTP__HOST: '127.0.0.1' },
      readyLine: /"detector started"/,
      readyTimeoutMs: 30_000,
    });
    procs.push(detector);
    detectorUrl = (JSON.parse(await detector.waitForLine(/"http server listening"/)) as { url: string }).url;
    nc = await connect({ servers: servers.nats.url });
  });

  afterAll(async () => {
    await nc?.close();
    const exits = await Promise.all(procs.map((p) => p.stop()));
    await sim?.proc.stop();
    await servers?.stop();
    expect(exits.map((e) => e.code)).toEqual(procs.map(() => 0));
  });

  it('books of all 100 symbols on both venues are published, pass the invariants, and reach the detector', async () => {
    expect(SYMBOLS).toHaveLength(100);
    const seen = new Map<string, Set<string>>(VENUES.map((v) => [v, new Set<string>()]));
    const bad: string[] = [];
    let checked = 0;
    const sub = nc.subscribe(subjects.books(), {
      callback: (_err, m) => {
        const b = validators.BookSnapshot.decode(m.data);
        checked++;
        const v = checkBookInvariants(b);
        if (v.length > 0) bad.push(`${b.venue}/${b.symbol}: ${v[0]?.rule}`);
        else seen.get(b.venue)?.add(b.symbol);
      },
    });
    // Each book waits for its REST snapshot (Binance: paced by snapshotWeightPerMinute): slow on a loaded host.
    const deadline = Date.now() + 150_000;
    while (VENUES.some((v) => seen.get(v)?.size !== SYMBOLS.length) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    sub.unsubscribe();
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(2 * SYMBOLS.length);
    for (const venue of VENUES) {
      const missing = SYMBOLS.filter((s) => seen.get(venue)?.has(s) !== true);
      expect({ venue, missing }).toEqual({ venue, missing: [] });
    }
    const text = await (await fetch(`${detectorUrl}/metrics`)).text();
    for (const venue of VENUES) {
      const received = perLabel(text, 'detector_books_received_total', `venue="${venue}"`, 'symbol');
      const missing = SYMBOLS.filter((s) => (received.get(s) ?? 0) <= 0);
      expect({ venue, detectorMissing: missing }).toEqual({ venue, detectorMissing: [] });
    }
  }, 200_000);
});
