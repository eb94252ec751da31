import type { E2eWindow } from '../e2e/window';
import type { LoadReport } from './load-meter';

/** One measured step of the scale bench. */
export interface ScaleStep {
  readonly replicas: number;
  readonly rate: number;
  readonly w: E2eWindow;
  readonly load: LoadReport;
  /** Why it did not keep up, or undefined. */
  readonly verdict: string | undefined;
  /** frame→BookSnapshot and frame→opportunity p99 within the e2e limit. */
  readonly withinLimit: boolean;
}

const f = (v: number, d = 1): string => v.toFixed(d);
const k = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(1)}k` : v.toFixed(0));
const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '?' : v.toFixed(0));

/** CPU % of the processes whose name starts with `prefix`, summed (one core = 100). */
function cpuOf(load: LoadReport, prefix: string): number | null {
  let total = 0;
  let any = false;
  for (const [name, v] of load.cpu) {
    if (!name.startsWith(prefix)) continue;
    if (v === null) return null;
    total += v;
    any = true;
  }
  return any ? total : null;
}

/** The steps as a markdown table (one line per step), for the log and bench/README.md. */
export function scaleTable(steps: readonly ScaleStep[], limitMs: number): string[] {
  const head = [
    'replicas',
    'asked/s',
    'made/s',
    'applied/s',
    'books/s',
    'frame→book p50/p99 ms',
    'frame→opp p50/p99 ms (n)',
    'NATS in/out msgs/s',
    'NATS in/out MB/s',
    'NATS CPU%',
    'Redis ops/s',
    'Redis CPU%',
    'CPU% sim / ingestors / detectors',
    'load1',
    'verdict',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const { replicas, rate, w, load, verdict, withinLimit } of steps) {
    const cells = [
      `${replicas}`,
      k(rate),
      k(w.rates.levelUpdates),
      k(w.rates.applied),
      k(w.rates.books),
      w.book.recv.count > 0 ? `${f(w.book.recv.p50, 2)} / ${f(w.book.recv.p99)}` : '-',
      w.frameToOpp.count > 0 ? `${f(w.frameToOpp.p50, 2)} / ${f(w.frameToOpp.p99)} (${w.frameToOpp.count})` : '- (0)',
      `${k(load.nats.inMsgs)} / ${k(load.nats.outMsgs)}`,
      `${f(load.nats.inBytes / 1e6)} / ${f(load.nats.outBytes / 1e6)}`,
      pct(load.nats.cpuPct),
      k(load.redis.opsPerSec),
      pct(load.redis.cpuPct),
      `${pct(cpuOf(load, 'exchange-sim'))} / ${pct(cpuOf(load, 'feed-ingestor'))} / ${pct(cpuOf(load, 'detector'))}`,
      `${f(load.host.load1)}/${load.host.cpus}`,
      verdict ?? (withinLimit ? `kept up, p99s ≤ ${limitMs} ms` : 'kept up'),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}
