import { subjects, validators, type Opportunity } from '@arb/contracts';
import { createLogger, createRedis, quitRedis, type Redis } from '@arb/service-kit';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { now } from './recorder';

/** Publishes `opp` on `arb.opp.<symbol>` (stream ARB_OPPS) as a detector would, from a connection of its own. */
export async function publishOpportunity(natsUrl: string, opp: Opportunity, msgId = opp.id): Promise<void> {
  const nc = await connect({ servers: natsUrl, name: 'fault-suite-inject', timeout: 5000 });
  try {
    await jetstream(nc).publish(subjects.opportunity(opp.symbol), JSON.stringify(validators.Opportunity.assert(opp)), { msgID: msgId });
  } finally {
    await nc.close();
  }
}

let n = 0;

/** A schema-valid opportunity with the given route, size and limit prices (what a hostile publisher could send). */
export function opportunity(o: { symbol: string; buyVenue: string; sellVenue: string; size: string; buyLimit: string; sellLimit: string; ttlMs?: number; profitUsd?: string }): Opportunity {
  const t = now();
  n++;
  return {
    v: 1,
    id: `opp_fault_${process.pid}_${Date.now().toString(36)}_${n}`,
    symbol: o.symbol,
    buy: { venue: o.buyVenue, limitPrice: o.buyLimit, vwap: o.buyLimit, size: o.size },
    sell: { venue: o.sellVenue, limitPrice: o.sellLimit, vwap: o.sellLimit, size: o.size },
    size: o.size,
    grossEdgeBps: '10',
    netEdgeBps: '5',
    profitQuote: o.profitUsd ?? '1',
    profitUsd: o.profitUsd ?? '1',
    confidence: 0.9,
    detectedTs: t,
    expiresTs: t + (o.ttlMs ?? 500),
    books: { buy: { recvTs: t, seq: 1, venueSeq: 1 }, sell: { recvTs: t, seq: 1, venueSeq: 1 } },
    variant: 'default',
  };
}

/** Runs `fn` with a Redis client on `url`, closed afterwards. */
export async function withRedis<T>(url: string, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = createRedis({ url, name: 'fault-suite', logger: createLogger({ name: 'fault-suite', level: 'silent' }) });
  try {
    return await fn(r);
  } finally {
    await quitRedis(r);
  }
}
