import {
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { ProvisionError } from '../errors';
import { configDiff, wrap, type ProvisionAction } from './ensure-stream';

export type DurableConsumerConfig = Partial<ConsumerConfig> & { durable_name: string };

/**
 * Adds the durable consumer, or updates it when a field given in `config` differs (only fields the server can
 * change in place: on nats-server 2.9 that excludes e.g. filter_subject, deliver_policy and ack_policy; changing
 * those fails with a ProvisionError naming them). Safe to run concurrently from several replicas.
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: DurableConsumerConfig,
): Promise<{ action: ProvisionAction; info: ConsumerInfo }> {
  const durable = config.durable_name;
  let existing = await consumerInfoOrNull(jsm, stream, durable);
  if (existing === null) {
    try {
      return { action: 'created', info: await jsm.consumers.add(stream, config) };
    } catch (cause) {
      existing = await consumerInfoOrNull(jsm, stream, durable);
      if (existing === null) throw wrap(`cannot create consumer ${stream}/${durable}`, cause);
    }
  }
  const diff = configDiff(config, existing.config);
  if (diff.length === 0) return { action: 'unchanged', info: existing };
  try {
    return { action: 'updated', info: await jsm.consumers.update(stream, durable, config) };
  } catch (cause) {
    throw new ProvisionError(
      `cannot update consumer ${stream}/${durable} (${diff.join(', ')} differ): ${(cause as Error).message}; ` +
        'if the server cannot change these in place, delete the consumer and let it be recreated',
      { cause },
    );
  }
}

async function consumerInfoOrNull(jsm: JetStreamManager, stream: string, durable: string): Promise<ConsumerInfo | null> {
  try {
    return await jsm.consumers.info(stream, durable);
  } catch (cause) {
    if (cause instanceof JetStreamApiError && cause.code === JetStreamApiCodes.ConsumerNotFound) return null;
    throw wrap(`cannot read consumer ${stream}/${durable}`, cause);
  }
}
