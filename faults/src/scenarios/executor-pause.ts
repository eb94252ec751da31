import { now } from '../recorder';
import type { Check } from '../types';
import { sleep, waitFor } from '../wait';
import { tradedAfter } from './feed-fault';
import { legsText } from './leg-outcome';
import { ms, type Scenario } from './scenario';
import { closedAtVenues, oneSidedTrade, reportsOf, tradeJournaled } from './trade-faults';

/** Longer than the in-flight heartbeat TTL (2 s in the suite) AND the semaphore lease (leaseMs 10 s): a take-over. */
const PAUSE_MS = 14_000;

/**
 * The executor is frozen (SIGSTOP) mid-trade, while its Coinbase buy has filled (answer withheld) and the Binance sell was refused
 * (one-sided), for longer than its heartbeat TTL and its semaphore lease, so a second executor takes the trade over
 * and closes it. Then the first resumes (SIGCONT) with the trade still in memory: it must find that the trade is no
 * longer its own before it sends anything, and not close it a second time; its journal attempt must not hide an order.
 */
export const executorPause: Scenario = {
  name: 'executor-pause',
  fault: `executor SIGSTOPped ${PAUSE_MS / 1000} s (past its heartbeat TTL and semaphore lease) while one leg of its trade is filling and the other was refused; a second executor starts, then the first resumes (SIGCONT)`,
  async run(ctx) {
    const { sim, stack } = ctx;
    const owner = stack.executor;
    const pid = owner.proc.pid();
    if (pid === undefined) throw new Error(`${owner.label} is not running`);
    // The Coinbase buy filled, its answer withheld: the executor waits for it (request timeout), one-sided at the venue.
    const { tradeKey } = await oneSidedTrade(ctx, (os) => os.some((o) => o.clientOrderId.endsWith('-b')));
    process.kill(pid, 'SIGSTOP');
    const tStop = now();
    let resumedAt = 0;
    let standbyLabel = '';
    try {
      // The window stays open (Binance stays up once Coinbase followed): a hedge on Binance fills, so a second closing
      // of the trade would be a real position, not a refused duplicate.
      for (const v of ['binance', 'coinbase'] as const) await sim.resetTradingFaults(v);
      standbyLabel = (await stack.startExtraExecutor('executor-standby')).label;
      await waitFor('the standby journaled the paused trade', async () => ((await reportsOf(ctx, tradeKey)).length > 0 ? true : undefined), PAUSE_MS + 20_000, 250);
      await sleep(Math.max(0, PAUSE_MS - (now() - tStop)));
    } finally {
      process.kill(pid, 'SIGCONT');
      resumedAt = now();
    }
    const tTaken = (await reportsOf(ctx, tradeKey))[0]?.timings.finalTs ?? 0;
    // The resumed executor works through what it had in memory; its journal attempt comes back as a duplicate.
    await waitFor(`${owner.label} done with the trade`, () => (owner.proc.lines().some((l) => l.includes('"msg":"leg-risk resolution stopped') || l.includes(tradeKey)) ? true : undefined), 20_000, 100).catch(() => undefined);
    await ctx.quiesce(30_000);
    await sleep(1500);
    const reports = await tradeJournaled(ctx, tradeKey, 20_000);
    const orders = await sim.orders(`${tradeKey}-`);
    const afterResume = orders.filter((o) => (o.createdTs ?? 0) > resumedAt);
    const main = reports.find((r) => r.corrects === undefined);
    await stack.stopService(standbyLabel);
    const probe = await ctx.probeTrades();
    const fenced = owner.proc.lines().some((l) => l.includes('stopped:fenced') || (l.includes('leg-risk resolution stopped') && l.includes('no longer this process')));
    const checks: Check[] = [
      { name: 'paused mid-trade', ok: orders.some((o) => o.clientOrderId.endsWith('-b') && o.filledQty !== '0'), detail: `${owner.label} frozen ${ms(resumedAt - tStop)} waiting for the answer to its Coinbase buy (filled ${orders.find((o) => o.clientOrderId.endsWith('-b'))?.filledQty ?? '?'} at the venue, answer withheld) with the Binance sell refused` },
      {
        name: 'taken over by the other executor',
        ok: main !== undefined && (main.reason ?? '').startsWith('reconciled') && main.timings.finalTs < resumedAt,
        detail: main === undefined ? 'no report' : `${main.status} by ${main.executorId} (fencing token ${String(main.fencingToken)}) ${ms(main.timings.finalTs - tStop)} into the pause: ${legsText(main)}`,
      },
      { name: 'the resumed executor sent no order', ok: afterResume.length === 0, detail: afterResume.length === 0 ? 'no order of the trade reached a venue after SIGCONT' : `after SIGCONT: ${afterResume.map((o) => o.clientOrderId).join(', ')}` },
      { name: 'the resumed executor knew it was fenced out', ok: fenced, detail: fenced ? 'it logged that the in-flight record is no longer its own and stopped' : 'no such log line' },
      closedAtVenues(orders),
      tradedAfter(probe.reports, probe.firstMs),
    ];
    return {
      behaviour: [
        `${owner.label} SIGSTOPped with trade ${tradeKey} one-sided (Coinbase buy filled, its answer withheld; Binance sell refused); a second executor started`,
        `the second executor took the trade over once the heartbeat and the lease had expired and journaled it ${ms(tTaken - tStop)} into the pause: ${main === undefined ? 'nothing' : `${main.status} (${legsText(main)})`}`,
        `${owner.label} resumed after ${ms(resumedAt - tStop)}: ${fenced ? 'its next in-flight record write failed (fenced), it sent nothing more and its journal attempt was a duplicate' : 'no fencing seen'}; ${reports.length - 1} correction(s)`,
      ],
      recoveryMs: tTaken > 0 ? tTaken - tStop : null,
      recoveryOf: 'freeze → the trade taken over and journaled by the other executor',
      lost: afterResume.length === 0 ? 'nothing: the trade was closed once and every order of it is journaled' : `${afterResume.length} order(s) sent by the resumed executor`,
      checks,
    };
  },
};
