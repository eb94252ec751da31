import { subjects, validators, type Opportunity } from '@arb/contracts';
import type { Bus } from '@arb/service-kit';
import type { DetectorMetrics } from './metrics';

export type PublishOpportunity = (opp: Opportunity) => void;

/**
 * Publishes through JetStream (stream ARB_OPPS) with `Nats-Msg-Id` = opportunity id, without waiting for the PubAck:
 * acks are counted when they arrive (ok / duplicate / failed), never awaited by the caller. Core subscribers of
 * `arb.opp.>` see the message too. A message that fails validation throws (a detector bug).
 */
export function createJsPublisher(
  bus: Pick<Bus, 'publishJs'>,
  metrics: Pick<DetectorMetrics, 'publishAcks' | 'acksPending'>,
  opts: { ackTimeoutMs: number; onError?: (err: unknown, opp: Opportunity) => void },
): PublishOpportunity {
  return (opp) => {
    const ack = bus.publishJs(subjects.opportunity(opp.symbol), validators.Opportunity, opp, {
      msgId: opp.id,
      timeoutMs: opts.ackTimeoutMs,
    });
    metrics.acksPending.inc();
    ack.then(
      (a) => metrics.publishAcks.labels(a.duplicate ? 'duplicate' : 'ok').inc(),
      (err: unknown) => {
        metrics.publishAcks.labels('failed').inc();
        opts.onError?.(err, opp);
      },
    ).finally(() => metrics.acksPending.dec());
  };
}
