import { clockSkew } from './clock-skew';
import { concurrentWindows } from './concurrent-windows';
import { corruptFrames } from './corrupt-frames';
import { executorKill } from './executor-kill';
import { legReject } from './leg-reject';
import { legTimeout } from './leg-timeout';
import { natsFollowerKill, natsLeaderKill, natsSplit } from './nats-cluster';
import { natsRestart } from './nats-restart';
import { redisRestart } from './redis-restart';
import type { Scenario } from './scenario';
import { sequenceGap } from './sequence-gap';
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
];

/** The scenarios of `--nats-cluster <n>`: the stack runs on a NATS cluster and one node fails at a time. */
export const CLUSTER_SCENARIOS: readonly Scenario[] = [natsLeaderKill, natsFollowerKill, natsSplit];

export type { Scenario };
