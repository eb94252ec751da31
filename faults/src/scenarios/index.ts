import { clockSkew } from './clock-skew';
import { concurrentWindows } from './concurrent-windows';
import { corruptFrames } from './corrupt-frames';
import { crossedSnapshot } from './crossed-snapshot';
import { executorKill } from './executor-kill';
import { forgedBooks } from './forged-books';
import { legReject } from './leg-reject';
import { legTimeout } from './leg-timeout';
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
  forgedBooks,
  crossedSnapshot,
];

export type { Scenario };
