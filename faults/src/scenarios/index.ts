import { badCredentials } from './bad-credentials';
import { clockSkew } from './clock-skew';
import { concurrentWindows } from './concurrent-windows';
import { corruptFrames } from './corrupt-frames';
import { crossedSnapshot } from './crossed-snapshot';
import { executorKill } from './executor-kill';
import { executorPause } from './executor-pause';
import { forgedBooks } from './forged-books';
import { lateFills } from './late-fills';
import { legReject } from './leg-reject';
import { legTimeout } from './leg-timeout';
import { natsFollowerKill, natsLeaderKill, natsSplit } from './nats-cluster';
import { natsOutageRisk } from './nats-outage-risk';
import { natsRestart } from './nats-restart';
import { notionalForgery } from './notional-forgery';
import { redisLossMidHedge, redisUnwritableMidHedge } from './redis-mid-hedge';
import { redisRestart } from './redis-restart';
import { replayAfterDedup } from './replay-after-dedup';
import type { Scenario } from './scenario';
import { sequenceGap } from './sequence-gap';
import { venueBan418, venueRateLimit429 } from './venue-ban';
import { venueDisconnect } from './venue-disconnect';
import { venueFreeze } from './venue-freeze';

/** Every scenario, in the order the suite runs them (the reference run first). */
export const SCENARIOS: readonly Scenario[] = [
  concurrentWindows,
  venueDisconnect,
  venueFreeze,
  sequenceGap,
  corruptFrames,
  natsRestart,
  redisRestart,
  executorKill,
  legReject,
  legTimeout,
  clockSkew,
  executorPause,
  redisUnwritableMidHedge,
  redisLossMidHedge,
  lateFills,
  notionalForgery,
  replayAfterDedup,
  venueBan418,
  venueRateLimit429,
  badCredentials,
  natsOutageRisk,
  forgedBooks,
  crossedSnapshot,
];

/** The scenarios of `--nats-cluster <n>`: the stack runs on a NATS cluster and one node fails at a time. */
export const CLUSTER_SCENARIOS: readonly Scenario[] = [natsLeaderKill, natsFollowerKill, natsSplit];

export type { Scenario };
