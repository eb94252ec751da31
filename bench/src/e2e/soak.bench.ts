import { sleep } from '../lib/clock';
import { rssBytes } from '../lib/proc-mem';
import { row } from '../lib/rows';
import { benchSettings, rateLabel } from '../settings';
import { E2eStack } from '../stack/e2e-stack';
import { servicesUnavailable } from '../stack/services';
import type { BenchModule, BenchRow } from '../types';
import { e2eRows } from './latency.bench';
import { measureWindow } from './window';

const GROUP = 'e2e';
const SOAK_RATE = 10_000;
const SAMPLE_EVERY_MS = 10_000;
const MB = 2 ** 20;

interface Series {
  readonly name: string;
  readonly pid: () => number | undefined;
  readonly samples: number[];
}

/**
 * Memory after a soak: the whole system at 10k level updates/s (jumps and trades included) for `--soak-seconds`
 * (default 300), RSS of every service (and of nats-server and redis-server) sampled every 10 s; the rows give the
 * RSS at the end beside the RSS after warm-up. The last 15 s are also measured as an e2e window (latency after the
 * soak). Runs with --soak (or when named in --only).
 */
export const e2eSoakBench: BenchModule = {
  name: 'e2e.soak',
  group: GROUP,
  description: 'memory: RSS of every service after a soak at 10k updates/s (--soak, --soak-seconds)',
  unavailable: (ctx) =>
    ctx.soakSeconds !== undefined || ctx.named('e2e.soak') ? servicesUnavailable(ctx.root, ['exchange-sim', 'feed-ingestor', 'detector', 'executor']) : 'memory soak: run with --soak',
  async run(ctx) {
    const s = benchSettings(ctx.quick);
    const seconds = ctx.soakSeconds ?? (ctx.quick ? 30 : 300);
    const stack = await E2eStack.start(ctx, { label: 'soak', levelUpdatesPerSec: SOAK_RATE, jumpsPerMinute: s.e2eJumpsPerMinute, executor: true, executorSkipWhenBusy: true });
    try {
      const series: Series[] = [
        ...stack.processes().map((p) => ({ name: p.name, pid: () => p.proc.pid, samples: [] as number[] })),
        { name: 'nats-server', pid: () => stack.servers.nats.pid, samples: [] },
        { name: 'redis-server', pid: () => stack.servers.redis.pid, samples: [] },
      ];
      const sample = (): void => {
        for (const x of series) {
          const pid = x.pid();
          const rss = pid === undefined ? undefined : rssBytes(pid);
          if (rss !== undefined) x.samples.push(rss);
        }
      };
      await sleep(s.e2eWarmupSeconds * 1000);
      ctx.log.info(`soak @${rateLabel(SOAK_RATE)} level updates for ${seconds}s, RSS every ${SAMPLE_EVERY_MS / 1000}s`);
      sample();
      const window = Math.min(15, Math.max(5, seconds / 4));
      const until = Date.now() + (seconds - window) * 1000;
      while (Date.now() < until) {
        await sleep(Math.min(SAMPLE_EVERY_MS, Math.max(0, until - Date.now())));
        sample();
      }
      const w = await measureWindow(stack, window);
      sample();
      const out: BenchRow[] = series.map((x) => {
        const first = x.samples[0];
        const last = x.samples[x.samples.length - 1];
        const max = x.samples.length > 0 ? Math.max(...x.samples) : undefined;
        return row({
          group: GROUP,
          name: `RSS after ${seconds}s soak: ${x.name}`,
          value: last !== undefined ? last / MB : null,
          unit: 'MB',
          ...(first !== undefined ? { baseline: first / MB, baselineName: 'RSS after warm-up' } : {}),
          status: last === undefined ? 'skipped' : 'ok',
          note: last === undefined ? '/proc not available' : `max ${((max ?? 0) / MB).toFixed(0)} MB over ${x.samples.length} samples`,
        });
      });
      return [...out, ...e2eRows(SOAK_RATE, w).map((r) => ({ ...r, name: `after soak: ${r.name}` }))];
    } finally {
      await stack.stop();
    }
  },
};
