import { nowMs, sleep } from './clock';

export interface PaceResult {
  readonly sent: number;
  readonly elapsedMs: number;
}

/**
 * Calls `send(i)` for i = 0..count-1 at `ratePerSec` on average. Timers tick about once a millisecond, so at
 * 5k/s about five messages leave per tick (the same burst shape for every benchmark that uses it, so floors and
 * measured paths stay comparable). Stops early when `shouldStop()` turns true.
 */
export async function pace(
  ratePerSec: number,
  count: number,
  send: (i: number) => void,
  shouldStop: () => boolean = () => false,
): Promise<PaceResult> {
  const start = nowMs();
  let i = 0;
  while (i < count && !shouldStop()) {
    const due = Math.min(count, Math.floor(((nowMs() - start) * ratePerSec) / 1000) + 1);
    while (i < due) send(i++);
    if (i < count) await sleep(1);
  }
  return { sent: i, elapsedMs: nowMs() - start };
}
