import { clusterFault, SPLIT_MS } from './nats-cluster-fault';
import { ms, type Scenario } from './scenario';

/** The node leading the journal, the work queue, its consumer and the config bucket dies mid-trade. */
export const natsLeaderKill: Scenario = {
  name: 'nats-leader-kill',
  fault: 'NATS node leading ARB_EXECS, ARB_OPPS, the executor consumer and arb_config (and the meta group when it can) SIGKILLed with a trade in flight; restarted afterwards',
  run: (ctx) => clusterFault(ctx, 'leader-kill'),
};

/** A node that leads nothing dies mid-trade: the leaders keep going with the other replica. */
export const natsFollowerKill: Scenario = {
  name: 'nats-follower-kill',
  fault: 'NATS node leading none of the trading streams SIGKILLed with a trade in flight; restarted afterwards',
  run: (ctx) => clusterFault(ctx, 'follower-kill'),
};

/** The leading node is cut off from the others (its clients stay connected to it), then the split heals. */
export const natsSplit: Scenario = {
  name: 'nats-split',
  fault: `network split: the NATS node leading every trading stream cut off from the other two for ${ms(SPLIT_MS)} (route links blackholed, its clients still connected), then healed`,
  run: (ctx) => clusterFault(ctx, 'split'),
};
