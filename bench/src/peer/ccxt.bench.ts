import { join } from 'node:path';
import { within } from '../lib/deadline';
import { ForkedWorker } from '../lib/forked';
import { row } from '../lib/rows';
import { benchSettings } from '../settings';
import type { BenchContext, BenchModule, BenchRow } from '../types';
import { ingestorUnavailable } from '../ingest/ingestor-process';
import { replayData } from '../ingest/inputs';
import type { ReplayData } from '../ingest/replay-data';
import { ReplayServer } from '../ingest/replay-server';
import { IngestSession } from '../ingest/session';
import { isCcxtProgress, type CcxtProgress } from './ccxt-protocol';

const GROUP = 'peer';
const TIMEOUT_MS = 120_000;

interface Run {
  readonly frames: number;
  readonly seconds: number;
  readonly cpuSeconds: number | undefined;
  readonly problems: string[];
}

/** ccxt is a dev dependency of bench only: without it (production install) the module is skipped. */
function ccxtUnavailable(): string | undefined {
  try {
    require.resolve('ccxt');
    return undefined;
  } catch {
    return 'ccxt (dev dependency of bench) is not installed';
  }
}

/**
 * Order-book client efficiency, ours vs a widely used peer: the same pre-generated Binance session (replay server,
 * blasted as fast as each client reads) into our feed-ingestor process and into ccxt's websocket client
 * (`ccxt.pro.binance().watchOrderBook('BTC/USDT')` in a loop, REST and WS URLs pointed at the replay server), in
 * book updates per CPU-second of the client process, from synced to the last frame. Both must end on the exact
 * expected book.
 */
export const peerCcxtBench: BenchModule = {
  name: 'peer.ccxt',
  group: GROUP,
  description: "book updates per CPU-second: our feed-ingestor vs ccxt.pro binance watchOrderBook, same frames, same run",
  unavailable: (ctx) => ingestorUnavailable(ctx.root) ?? ccxtUnavailable(),
  async run(ctx) {
    const s = benchSettings(ctx.quick);
    const data = replayData(ctx, s.peerFrames);
    ctx.log.info(`our feed-ingestor, then ccxt, each blasted with ${data.frames.length - 1} frames`);
    const ours = await runIngestor(ctx, data);
    const theirs = await runCcxt(data);
    return rows(ours, theirs);
  },
};

async function runIngestor(ctx: BenchContext, data: ReplayData): Promise<Run> {
  const session = await IngestSession.start(ctx, data, 'peer-ingestor');
  try {
    const n = data.frames.length;
    const start = { at: performance.timeOrigin + performance.now(), cpu: session.ingestor.cpu() };
    const end = session.watch.reach(data.lastIds[n - 1] as number, () => session.ingestor.cpu());
    const blast = session.replay.blast();
    const e = await within(end, TIMEOUT_MS, () => `peer ingestor run (at venueSeq ${session.watch.maxVenueSeq})`, session.failure);
    await blast;
    const problems = [...session.incidents(), ...Object.entries(await session.ingestor.incidents()).map(([k, v]) => `${k}=${v}`)];
    return {
      frames: n - 1,
      seconds: (e.at - start.at) / 1000,
      cpuSeconds: e.sample !== undefined && start.cpu !== undefined ? e.sample - start.cpu : undefined,
      problems,
    };
  } finally {
    await session.stop();
  }
}

async function runCcxt(data: ReplayData): Promise<Run> {
  const server = await ReplayServer.start(data);
  const worker = ForkedWorker.fork(join(__dirname, 'ccxt-client.js'), 'ccxt client');
  try {
    const n = data.frames.length;
    const lastId = data.lastIds[n - 1] as number;
    const synced = await worker.request({ type: 'start', wsUrl: server.wsUrl, restUrl: server.restUrl, lastId }, 'synced', isCcxtProgress, 30_000);
    const done = worker.request({ type: 'wait' }, 'done', isCcxtProgress, TIMEOUT_MS);
    await server.blast();
    const d = await done;
    const problems: string[] = [];
    if (server.connections > 1) problems.push(`${server.connections - 1} reconnect(s)`);
    if (server.snapshotRequests > 1) problems.push(`${server.snapshotRequests - 1} extra snapshot request(s)`);
    if (server.badRequests.length > 0) problems.push(`bad requests: ${server.badRequests.slice(0, 3).join('; ')}`);
    const mismatch = compareFloatTop(d, data);
    if (mismatch !== undefined) problems.push(`final book wrong: ${mismatch}`);
    return { frames: n - 1, seconds: (d.at - synced.at) / 1000, cpuSeconds: d.cpuSeconds - synced.cpuSeconds, problems };
  } finally {
    worker.kill();
    await server.close();
  }
}

/** ccxt keeps floats: the top 20 must equal the expected decimal strings as numbers. */
function compareFloatTop(d: CcxtProgress, data: ReplayData): string | undefined {
  for (const side of ['bids', 'asks'] as const) {
    const got = d[side] ?? [];
    const want = data.finalTop[side].slice(0, 20);
    if (got.length < want.length) return `${side}: ${got.length} levels, expected ${want.length}`;
    for (const [i, [p, q]] of want.entries()) {
      const g = got[i];
      if (g === undefined || g[0] !== Number(p) || g[1] !== Number(q)) return `${side}[${i}] = ${JSON.stringify(g)}, expected [${p}, ${q}]`;
    }
  }
  return undefined;
}

function rows(ours: Run, theirs: Run): BenchRow[] {
  const perCpu = (r: Run): number | null => (r.cpuSeconds !== undefined && r.cpuSeconds > 0 ? r.frames / r.cpuSeconds : null);
  const oursPerCpu = perCpu(ours);
  const check = (r: Run): string => (r.problems.length > 0 ? `PROBLEMS: ${r.problems.join('; ')}` : 'final top 20 exact, no resync');
  const st = (r: Run): 'ok' | 'failed' => (r.problems.length > 0 ? 'failed' : 'ok');
  return [
    row({
      group: GROUP,
      name: 'ccxt.pro binance watchOrderBook: updates per CPU-second',
      value: perCpu(theirs),
      unit: 'updates/cpu-s',
      ...(oursPerCpu !== null ? { baseline: oursPerCpu, baselineName: 'our feed-ingestor, same frames' } : {}),
      status: st(theirs),
      note: `${theirs.frames} frames; client CPU ${theirs.cpuSeconds?.toFixed(2) ?? '?'} s (process.cpuUsage); float book, no output; ${check(theirs)}`,
    }),
    row({
      group: GROUP,
      name: 'our feed-ingestor: updates per CPU-second (same frames)',
      value: oursPerCpu,
      unit: 'updates/cpu-s',
      status: st(ours),
      note: `${ours.frames} frames; ingestor CPU ${ours.cpuSeconds?.toFixed(2) ?? '?'} s (/proc); exact decimal book, checks, validated top-20 BookSnapshots to NATS; ${check(ours)}`,
    }),
    row({
      group: GROUP,
      name: 'ccxt.pro binance watchOrderBook: updates/s (blast)',
      value: theirs.frames / theirs.seconds,
      unit: 'updates/s',
      baseline: ours.frames / ours.seconds,
      baselineName: 'our feed-ingestor, same frames',
      status: st(theirs),
      note: 'wall clock from synced to the last frame applied',
    }),
  ];
}
