import Big from 'big.js';
import { readJournal } from '../journal';
import { now } from '../recorder';
import type { Check } from '../types';
import { waitFor } from '../wait';
import { tradedAfter } from './feed-fault';
import { legsText, positionClosed } from './leg-outcome';
import { ms, type Scenario } from './scenario';

const SLOW_ACK_MS = 1500;

/**
 * The executor is SIGKILLed while its orders are at the venues (each venue holds an order 1.5 s before it executes
 * and answers). A new executor process (new id, as a replacement pod) must take over the dead one's in-flight
 * records once its heartbeat expires, reconcile them from the venues and journal every order exactly once.
 */
export const executorKill: Scenario = {
  name: 'executor-kill',
  fault: `executor SIGKILLed with both legs of a trade sent and not yet answered (venues hold orders ${SLOW_ACK_MS} ms: slowAckMs)`,
  async run(ctx) {
    const { sim, stack } = ctx;
    for (const v of ['binance', 'coinbase'] as const) await sim.tradingFaults(v, { slowAckMs: SLOW_ACK_MS });
    const key = (o: { venue: string; clientOrderId: string }): string => `${o.venue}/${o.clientOrderId}`;
    const known = new Set((await sim.orders()).map(key));
    const newOrders = async () => (await sim.orders()).filter((o) => !known.has(key(o)));
    await sim.dislocate('BTC-USDT', 'binance', 30, 2500);
    const inFlight = await waitFor(
      'orders at the venues',
      async () => {
        const s = await sim.tradingStats();
        return s.inFlightTrades > 0 ? s.inFlightTrades : undefined;
      },
      15_000,
      10,
    );
    const killedLabel = stack.executor.label;
    await stack.executor.proc.kill();
    const tKill = now();
    const pending = await newOrders();
    for (const v of ['binance', 'coinbase'] as const) await sim.resetTradingFaults(v);
    await stack.startExecutor(ctx.settings);
    const tStarted = now();
    const accounted = await waitFor(
      'every venue order of the killed executor journaled',
      async () => {
        const journaled = new Set((await readJournal(stack.nats.url)).flatMap((r) => r.legs.map(key)));
        const orders = await newOrders();
        return orders.length > 0 && orders.every((o) => journaled.has(key(o))) ? orders : undefined;
      },
      30_000,
      200,
    );
    const tAccounted = now();
    const killedKeys = new Set(pending.map(key));
    const reports = (await readJournal(stack.nats.url)).filter((r) => r.legs.some((l) => killedKeys.has(key(l))));
    const residualUsd = reports.reduce((a, r) => a.plus(r.residualUsd), new Big(0));
    const probe = await ctx.probeTrades();
    const checks: Check[] = [
      { name: 'killed mid-trade', ok: pending.length > 0, detail: `${inFlight} trade(s) in flight at the venues, ${pending.length} order(s) sent, when ${killedLabel} was killed` },
      {
        name: 'taken over and reconciled',
        ok: reports.length > 0 && reports.every((r) => r.executorId !== '' && (r.reason ?? '').startsWith('reconciled')),
        detail: reports.map((r) => `${r.oppId}: ${r.status} (${r.reason ?? 'no reason'})`).join('; ') || 'no report',
      },
      positionClosed(reports),
      tradedAfter(probe.reports, probe.firstMs),
    ];
    return {
      behaviour: [
        `${killedLabel} SIGKILLed with ${inFlight} trade(s) in flight (${pending.length} orders held at the venues)`,
        `replacement executor ready ${ms(tStarted - tKill)} after the kill`,
        `the replacement took over the dead executor's in-flight records and journaled ${reports.length} report(s) from the venues' truth ${ms(tAccounted - tKill)} after the kill: ${reports.map((r) => `${r.status} (${legsText(r)})`).join('; ')}`,
        `${accounted.length - pending.length} more order(s) sent meanwhile for new opportunities, all journaled`,
      ],
      recoveryMs: tAccounted - tKill,
      recoveryOf: 'kill → every order of the dead executor journaled',
      lost:
        `no order or fill: ${accounted.length} of ${accounted.length} venue orders journaled with their fills; ` +
        `exposure left after the replacement closed the dead trade by the leg-risk policy: ${reports.map((r) => `${r.residualBase} ${r.symbol.split('-')[0] ?? ''}`).join(', ')} (${residualUsd.toFixed(2)} USD)`,
      checks,
    };
  },
};
