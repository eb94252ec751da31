import { redisKeys, streams } from '@arb/contracts';
import { promValue } from '@arb/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { publishOpportunity, withRedis } from '../inject';
import { readJournal } from '../journal';
import { now } from '../recorder';
import type { Check } from '../types';
import { sleep, waitFor } from '../wait';
import { ms, type Scenario } from './scenario';

/** admission.maxOpportunityAgeMs (config/default.yaml): older opportunities are refused whatever their expiresTs. */
const MAX_AGE_MS = 2000;

async function duplicateWindowMs(natsUrl: string): Promise<number> {
  const nc = await connect({ servers: natsUrl, name: 'fault-suite-streams', timeout: 5000 });
  try {
    return ((await (await jetstreamManager(nc)).streams.info(streams.executions.name)).config.duplicate_window ?? 0) / 1e6;
  } finally {
    await nc.close();
  }
}

/**
 * A traded opportunity is published again with its expiresTs rewritten an hour ahead, once its idempotency marker is
 * gone (deleted here: what its TTL does after it runs out; the run cannot wait the hour). It must not trade again: an
 * opportunity older than maxOpportunityAgeMs by its detectedTs is refused whatever its expiresTs says, and the marker
 * outlives the journal's duplicate window by construction, so a trade whose report the journal would drop as a
 * duplicate cannot happen.
 */
export const replayAfterDedup: Scenario = {
  name: 'replay-after-dedup',
  fault: 'a traded opportunity replayed on ARB_OPPS with expiresTs an hour ahead after its de-dup marker expired (marker deleted to stand for its TTL)',
  async run(ctx) {
    const { stack, sim } = ctx;
    const { report } = await ctx.probeTrade('binance');
    await sleep(2600); // the window closes
    await ctx.quiesce();
    const opp = ctx.recorder.opportunities.find((o) => o.msg.id === report.oppId)?.msg;
    if (opp === undefined) throw new Error(`opportunity ${report.oppId} was not seen on arb.opp.>`);
    const key = report.legs[0]?.clientOrderId.replace(/-[^-]+$/, '') ?? '?';
    const [ttlMs, windowMs] = await Promise.all([withRedis(stack.redis.url, (r) => r.pttl(redisKeys.oppDone(opp.id))), duplicateWindowMs(stack.nats.url)]);
    await sleep(Math.max(0, opp.detectedTs + MAX_AGE_MS + 500 - now()));
    const ordersBefore = (await sim.orders()).filter((o) => o.tradeKey === key).length;
    await withRedis(stack.redis.url, (r) => r.del(redisKeys.oppDone(opp.id)));
    const expired = async (): Promise<number> => promValue(await stack.metrics(stack.executor.label), 'executor_opportunities_expired_total') ?? 0;
    const expiredBefore = await expired();
    const t0 = now();
    await publishOpportunity(stack.nats.url, { ...opp, expiresTs: now() + 3_600_000 }, `${opp.id}-replay`);
    const refused = await waitFor('the replay handled', async () => ((await expired()) > expiredBefore ? true : undefined), 10_000, 50).catch(() => false);
    const handledMs = now() - t0;
    await sleep(1500);
    await ctx.quiesce();
    const ordersAfter = (await sim.orders()).filter((o) => o.tradeKey === key).length;
    const journaled = (await readJournal(stack.nats.url)).filter((r) => r.oppId === opp.id);
    const checks: Check[] = [
      { name: 'de-dup marker outlives the journal duplicate window', ok: ttlMs > windowMs, detail: `arb:opp:done TTL ${ttlMs} ms after the trade, ARB_EXECS duplicate window ${windowMs} ms` },
      { name: 'replay refused by its age', ok: refused, detail: refused ? `refused (expired: detected ${Math.round(t0 - opp.detectedTs)} ms before, max ${MAX_AGE_MS} ms) ${ms(handledMs)} after the replay` : 'not refused as expired' },
      { name: 'replay traded nothing', ok: ordersAfter === ordersBefore, detail: `${ordersAfter - ordersBefore} new order(s) for trade ${key}` },
      { name: 'journaled once', ok: journaled.length === 1, detail: `${journaled.length} report(s) for ${opp.id}: ${journaled.map((r) => r.status).join(', ')}` },
    ];
    return {
      behaviour: [
        `traded ${opp.id} (${report.status}); its marker held ${ttlMs} ms of TTL against a ${windowMs} ms journal duplicate window`,
        `marker deleted, the same message replayed ${Math.round(t0 - opp.detectedTs)} ms after its detection with expiresTs +1 h`,
        refused ? `refused as expired ${ms(handledMs)} after the replay; ${ordersAfter - ordersBefore} new order(s)` : `not refused; ${ordersAfter - ordersBefore} new order(s)`,
      ],
      recoveryMs: handledMs,
      recoveryOf: 'replay published → refused',
      lost: ordersAfter === ordersBefore ? 'nothing: the replay sent no order' : `${ordersAfter - ordersBefore} order(s) sent for a replay`,
      checks,
    };
  },
};
