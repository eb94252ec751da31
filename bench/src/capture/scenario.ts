import { seededRandom } from '../lib/random';
import { sleep } from '../lib/clock';
import type { SimProcess } from '../stack/sim-process';
import { CAPTURE_SYMBOLS } from './params';

/** One scheduled dislocation: `venue` moves `bps` (signed) at model instant `atModelMs`; the other venue follows after `durationMs`. */
export interface Dislocation {
  readonly i: number;
  readonly symbol: string;
  readonly venue: 'binance' | 'coinbase';
  readonly bps: number;
  readonly durationMs: number;
  /** Offset from the run's start instant (model ms). */
  readonly offsetMs: number;
}

export interface ScenarioOptions {
  readonly count: number;
  /** Model ms between two dislocation slots (each starts in the first half of its slot; the symbols alternate). */
  readonly spacingMs: number;
  readonly seed: number;
}

/**
 * The known windows of the capture scenario: `count` dislocations of 10-40 bps held 0.3-2 s, alternating BTC-USDT /
 * ETH-USDT, the jumping venue and the direction (up, down: the fair price does not drift), sizes and holds drawn
 * from a seeded generator. Every strategy's run gets exactly this list at the same model instants.
 */
export function captureSchedule(o: ScenarioOptions): Dislocation[] {
  const rnd = seededRandom(o.seed);
  const out: Dislocation[] = [];
  for (let i = 0; i < o.count; i++) {
    const magnitude = 10 + Math.round(rnd() * 30);
    const durationMs = 300 + Math.round((rnd() * 1700) / 10) * 10;
    // Jitter within the first half of the slot: a strictly periodic schedule would sit at one fixed phase of a
    // timer-driven bot's polls (all caught or all missed).
    const jitterMs = Math.round((rnd() * o.spacingMs) / 2 / 10) * 10;
    const up = Math.floor(i / 2) % 2 === 0;
    out.push({
      i,
      symbol: CAPTURE_SYMBOLS[i % CAPTURE_SYMBOLS.length] as string,
      venue: Math.floor(i / 4) % 2 === 0 ? 'binance' : 'coinbase',
      bps: up ? magnitude : -magnitude,
      durationMs,
      offsetMs: i * o.spacingMs + jitterMs,
    });
  }
  return out;
}

/** The sim's model clock now. */
export async function modelNow(sim: SimProcess): Promise<number> {
  const s = await sim.control<{ model: { timeMs: number } }>('/control/stats');
  return s.model.timeMs;
}

/**
 * Queues every dislocation at `startModelMs + offsetMs` (POST /control/dislocate with atModelMs: applied at that
 * model instant whatever the wall clock), then waits until the model passed the last one + `tailMs`.
 */
export async function playSchedule(sim: SimProcess, schedule: readonly Dislocation[], startModelMs: number, tailMs: number): Promise<void> {
  for (const d of schedule) {
    await sim.control('/control/dislocate', { symbol: d.symbol, venue: d.venue, bps: d.bps, durationMs: d.durationMs, atModelMs: startModelMs + d.offsetMs });
  }
  const last = schedule.reduce((m, d) => Math.max(m, d.offsetMs + d.durationMs), 0);
  const end = startModelMs + last + tailMs;
  for (;;) {
    const now = await modelNow(sim);
    if (now >= end) return;
    await sleep(Math.min(500, Math.max(20, end - now)));
  }
}

/** Waits until the sim's model clock reaches `modelMs` (baselines wait for the instant our stack started at). */
export async function waitForModel(sim: SimProcess, modelMs: number): Promise<void> {
  for (;;) {
    const now = await modelNow(sim);
    if (now >= modelMs) return;
    await sleep(Math.min(500, Math.max(20, modelMs - now)));
  }
}
