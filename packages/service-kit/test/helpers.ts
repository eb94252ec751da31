import { Writable } from 'node:stream';
import type { BookSnapshot } from '@arb/contracts';
import type { Registry } from 'prom-client';
import { createLogger, type Logger } from '../src/log/logger';

/** A logger whose JSON lines are kept in memory. */
export function memoryLogger(level: 'debug' | 'info' | 'warn' = 'info'): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: createLogger({ name: 'test', level, destination }), lines };
}

/** Current value of a counter/gauge sample with exactly these labels (0 if absent). */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  const data = await metric.get();
  const sample = data.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return sample?.value ?? 0;
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function book(seq: number, venue = 'binance', symbol = 'BTC-USDT'): BookSnapshot {
  return {
    v: 1,
    venue,
    symbol,
    seq,
    venueSeq: 1000 + seq,
    venueTs: 1_700_000_000_000,
    recvTs: 1_700_000_000_000.25,
    pubTs: 1_700_000_000_000.5,
    bids: [['65000.01', '0.5']],
    asks: [['65000.02', '0.1']],
  };
}
