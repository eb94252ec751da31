import type { Instrument } from './instrument';
import { formatScaled } from './scaled';

/** Wire price string of a tick index. */
export function priceStr(inst: Instrument, tick: number): string {
  return formatScaled(tick * inst.tickUnits, inst.priceDecimals);
}

/** Wire size string of a lot count. */
export function qtyStr(inst: Instrument, lots: number): string {
  return formatScaled(lots * inst.lotUnits, inst.sizeDecimals);
}

/** A price clearly above the current best ask (for "crossed book" corruption). */
export function crossingTick(bestAskTick: number): number {
  return bestAskTick + Math.max(1, Math.ceil(bestAskTick * 0.01));
}

/** ISO-8601 UTC with microseconds from an epoch-ms float ("2024-01-02T03:04:05.123456Z"). */
export function isoMicros(epochMs: number): string {
  const whole = Math.floor(epochMs);
  const micros = Math.floor((epochMs - whole) * 1000);
  const iso = new Date(whole).toISOString();
  return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}

/** Local time, epoch ms with a sub-millisecond fraction. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
