import { promValue } from '@arb/testkit';
import { readJournal } from '../journal';
import { now } from '../recorder';
import { VENUES } from '../stack';
import type { Check } from '../types';
import { tradedAfter } from './feed-fault';
import { ms, type Scenario } from './scenario';

const SERVICES = ['ingestor-binance', 'ingestor-coinbase', 'detector'] as const;

/** nats-server stops and starts again on the same port with its JetStream store (streams, consumers, KV). */
export const natsRestart: Scenario = {
  name: 'nats-restart',
  fault: 'nats-server restarted (SIGTERM, then started on the same port with the same JetStream store)',
  async run(ctx) {
    const { stack } = ctx;
    const journalBefore = await readJournal(stack.nats.url);
    const t0 = now();
    await stack.nats.restart();
    const tUp = now();
    const booksMs = await ctx.booksFlowing(tUp);
    const probe = await ctx.probeTrades(30_000);
    const journalAfter = await readJournal(stack.nats.url);
    const ids = new Set(journalAfter.map((r) => r.id));
    const kept = journalBefore.filter((r) => ids.has(r.id)).length;
    const reconnects: string[] = [];
    for (const s of [...SERVICES, stack.executor.label]) {
      reconnects.push(`${s} ${promValue(await stack.metrics(s), 'bus_reconnects_total') ?? 0}`);
    }
    const checks: Check[] = [
      { name: 'journal kept', ok: kept === journalBefore.length, detail: `${kept} of ${journalBefore.length} reports journaled before the restart still in ARB_EXECS` },
      tradedAfter(probe.reports, probe.firstMs),
    ];
    return {
      behaviour: [
        `nats-server down and back in ${ms(tUp - t0)}`,
        `services reconnected (bus_reconnects_total: ${reconnects.join(', ')})`,
        `books of ${VENUES.join(' and ')} flowing again ${ms(booksMs)} after the server was back`,
        `first trade journaled ${ms(probe.firstMs)} after the first window opened post-restart`,
      ],
      recoveryMs: tUp - t0 + booksMs,
      recoveryOf: 'server stopped → books published again',
      lost: `journal: nothing (${kept}/${journalBefore.length} reports kept); books published while the server was down were dropped (latest-value data: the next change republishes)`,
      checks,
    };
  },
};
