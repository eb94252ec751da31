import { seededRandom } from '../lib/random';
import { SimSide } from './sim-book';

export const REPLAY_SYMBOL = 'BTC-USDT';
export const REPLAY_VENUE_SYMBOL = 'BTCUSDT';
export const REPLAY_STREAM = 'btcusdt@depth@0ms';

export type WireLevel = [string, string];

/** Pre-generated Binance diff-depth session for one symbol: a snapshot and the contiguous frames after it. */
export interface ReplayData {
  /** Combined-stream text frames `{"stream":...,"data":{"e":"depthUpdate",...}}`; frames[0] precedes the snapshot. */
  readonly frames: readonly string[];
  /** `u` (final update id) of each frame. */
  readonly lastIds: Float64Array;
  /** REST `/api/v3/depth` state after frames[0] (its `u` is the snapshot's lastUpdateId), best first. */
  readonly snapshot: { readonly lastUpdateId: number; readonly bids: readonly WireLevel[]; readonly asks: readonly WireLevel[] };
  /** The top 50 levels per side after the last frame, best first. */
  readonly finalTop: { readonly bids: readonly WireLevel[]; readonly asks: readonly WireLevel[] };
  /** Total frame bytes. */
  readonly bytes: number;
}

export interface ReplayOptions {
  readonly frames: number;
  readonly seed?: number;
  /** Levels per side at the start (kept within 0.8x..1.25x of it). At most 1000 so the snapshot holds the whole book. */
  readonly levels?: number;
}

/** Integer 0.01-ticks → Binance-style 8-decimal string: 6500012 → "65000.12000000". */
export function tickPrice(ticks: number): string {
  const frac = ticks % 100;
  return `${(ticks - frac) / 100}.${frac < 10 ? '0' : ''}${frac}000000`;
}

/**
 * Generates a valid BTCUSDT book evolution around 65,000 USDT with a 0.01 tick: each frame changes 1-5 levels
 * (mostly near the top: size changes, deletions, new levels, now and then a new best price inside the spread),
 * never crosses the book, never lists a price twice in one frame, and carries contiguous update ids
 * (`U` = previous `u` + 1, one id per level listed). Every frame changes the book. Deterministic for a given seed.
 */
export function generateReplayData(opts: ReplayOptions): ReplayData {
  const rand = seededRandom(opts.seed ?? 7);
  const levels = Math.min(opts.levels ?? 950, 1000);
  const minLevels = Math.floor(levels * 0.8);
  const maxLevels = Math.floor(levels * 1.25);
  const bids = new SimSide(true);
  const asks = new SimSide(false);
  const size = (): string => ((Math.floor(rand() * 200_000) + 1) / 100_000).toFixed(8);
  const p = 6_500_000;
  for (let i = 0; i < levels; i++) {
    bids.set(p - 1 - i * 2 - Math.floor(rand() * 2), size());
    asks.set(p + 1 + i * 2 + Math.floor(rand() * 2), size());
  }
  // How far from the best price a change lands: mostly the top 10, sometimes deep.
  const depth = (side: SimSide): number => {
    const r = rand();
    const span = r < 0.7 ? 10 : r < 0.9 ? 50 : r < 0.98 ? 200 : side.length;
    return Math.floor(rand() * Math.min(span, side.length));
  };
  const frames: string[] = new Array<string>(opts.frames);
  const lastIds = new Float64Array(opts.frames);
  let snapshot: ReplayData['snapshot'] | undefined;
  let nextId = 1_000_000_001;
  let bytes = 0;
  const baseTs = Date.now(); // venue event time `E`: only feeds the ingestor's indicative venue-latency metric
  for (let f = 0; f < opts.frames; f++) {
    const changes = 1 + Math.floor(rand() * 5);
    const frameBids = new Map<number, string>();
    const frameAsks = new Map<number, string>();
    // Size of each touched level before this frame (undefined = absent), to tell a no-op frame.
    const beforeBids = new Map<number, string | undefined>();
    const beforeAsks = new Map<number, string | undefined>();
    const touch = (isBid: boolean, t: number): void => {
      const before = isBid ? beforeBids : beforeAsks;
      if (!before.has(t)) before.set(t, (isBid ? bids : asks).sizes.get(t));
    };
    for (let c = 0; c < changes; c++) {
      const isBid = rand() < 0.5;
      const side = isBid ? bids : asks;
      const other = isBid ? asks : bids;
      const out = isBid ? frameBids : frameAsks;
      const r = rand();
      if (r < 0.55) {
        const t = side.atDepth(depth(side)) as number;
        touch(isBid, t);
        const s = size();
        side.set(t, s);
        out.set(t, s);
      } else if (r < 0.78 ? side.length > minLevels : side.length >= maxLevels) {
        const t = side.atDepth(depth(side)) as number;
        touch(isBid, t);
        side.remove(t);
        out.set(t, '0');
      } else {
        const best = side.best() as number;
        const opposite = other.best() as number;
        const dir = isBid ? -1 : 1;
        let t: number;
        if (rand() < 0.15 && Math.abs(opposite - best) > 1) {
          t = best - dir * (1 + Math.floor(rand() * (Math.abs(opposite - best) - 1))); // inside the spread
        } else {
          t = (side.atDepth(depth(side)) as number) + dir * (1 + Math.floor(rand() * 3));
        }
        touch(isBid, t);
        const s = size();
        side.set(t, s);
        out.set(t, s);
      }
    }
    // A frame whose changes cancel out (a level added and removed again) gets one real change more, so that
    // every frame moves the book (and the publisher's venueSeq reaches every frame's u).
    if (!changed(beforeBids, bids) && !changed(beforeAsks, asks)) {
      const t = bids.best() as number;
      let s = size();
      while (s === bids.sizes.get(t)) s = size();
      bids.set(t, s);
      frameBids.set(t, s);
    }
    const U = nextId;
    const u = nextId + frameBids.size + frameAsks.size - 1;
    nextId = u + 1;
    const text =
      `{"stream":"${REPLAY_STREAM}","data":{"e":"depthUpdate","E":${baseTs + Math.floor(f / 10)},"s":"${REPLAY_VENUE_SYMBOL}",` +
      `"U":${U},"u":${u},"b":[${levelsText(frameBids)}],"a":[${levelsText(frameAsks)}]}}`;
    frames[f] = text;
    lastIds[f] = u;
    bytes += text.length;
    if (f === 0) snapshot = { lastUpdateId: u, bids: wireTop(bids, levels * 2), asks: wireTop(asks, levels * 2) };
  }
  if (snapshot === undefined) throw new RangeError('generateReplayData: frames must be >= 1');
  return { frames, lastIds, snapshot, finalTop: { bids: wireTop(bids, 50), asks: wireTop(asks, 50) }, bytes };
}

/** Index of the frame whose `u` is `venueSeq` (or the last frame below it); -1 before the first frame. */
export function frameIndexOf(lastIds: Float64Array, venueSeq: number): number {
  let lo = 0;
  let hi = lastIds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((lastIds[mid] as number) <= venueSeq) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function changed(before: Map<number, string | undefined>, side: SimSide): boolean {
  for (const [t, was] of before) if (side.sizes.get(t) !== was) return true;
  return false;
}

function levelsText(levels: Map<number, string>): string {
  let s = '';
  for (const [t, q] of levels) s += `${s === '' ? '' : ','}["${tickPrice(t)}","${q}"]`;
  return s;
}

function wireTop(side: SimSide, n: number): WireLevel[] {
  return side.top(n).map(([t, q]) => [tickPrice(t), q]);
}
