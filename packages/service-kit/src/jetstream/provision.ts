import { buckets, streams } from '@arb/contracts';
import { DiscardPolicy, jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { ProvisionError } from '../errors';
import { ensureStream, wrap, type DesiredStream, type ProvisionAction } from './ensure-stream';
import { msToNanos, resolveJetStreamSpec, type JetStreamSpecOverrides, type StreamSpec } from './spec';

export interface ProvisionResult {
  streams: Record<string, ProvisionAction>;
  buckets: Record<string, ProvisionAction>;
}

/**
 * Creates or updates ARB_OPPS, ARB_EXECS and the KV buckets arb_config and arb_members to match the spec (defaultJetStreamSpec with
 * `overrides`). Both streams get `deny_delete` and `deny_purge` (no message can be removed through the API; a flag once
 * set cannot be cleared); the bucket `deny_delete` (KV roll-ups, i.e. purging a key, need purge). Idempotent, and safe to run at the same time from every replica of every service. When
 * everything already matches it only reads (STREAM.INFO): with NATS permissions the services run it as users that
 * may not create or update streams, after a provisioner identity did (`arb-config provision`, k8s Job
 * jetstream-provision); a stream they would have to change is then a ProvisionError naming it.
 */
export async function provisionJetStream(nc: NatsConnection, overrides: JetStreamSpecOverrides = {}): Promise<ProvisionResult> {
  const spec = resolveJetStreamSpec(overrides);
  validateStreamSpec('opportunities', spec.opportunities);
  validateStreamSpec('executions', spec.executions);
  for (const [which, b] of [['config', spec.config], ['members', spec.members]] as const) {
    if (!Number.isInteger(b.history) || b.history < 1 || b.history > 64) {
      throw new ProvisionError(`${which}.history must be an integer in 1..64 (got ${b.history})`);
    }
  }
  if (!(spec.members.maxAgeMs >= 1000)) throw new ProvisionError(`members.maxAgeMs must be >= 1000 (got ${spec.members.maxAgeMs})`);
  const replicas = Math.max(spec.opportunities.replicas, spec.executions.replicas, spec.config.replicas, spec.members.replicas);
  if (replicas > 1 && (nc.info?.cluster ?? '') === '') {
    throw new ProvisionError(
      `${replicas} replicas asked for (nats.replicas) but the NATS server is not part of a cluster: ` +
        'set nats.replicas to 1, or list every server of a cluster in nats.url',
    );
  }
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc);
  } catch (cause) {
    throw wrap('JetStream is not available', cause);
  }
  const opps = streamConfig(streams.opportunities, spec.opportunities, RetentionPolicy.Workqueue);
  const execs = streamConfig(streams.executions, spec.executions, RetentionPolicy.Limits);
  const [oppsAction, execsAction, bucketAction, membersAction] = await Promise.all([
    ensureStream(jsm, opps),
    ensureStream(jsm, execs),
    ensureBucket(jsm, buckets.config, spec.config.history, spec.config.replicas),
    ensureBucket(jsm, buckets.members, spec.members.history, spec.members.replicas, spec.members.maxAgeMs),
  ]);
  return {
    streams: { [opps.name]: oppsAction, [execs.name]: execsAction },
    buckets: { [buckets.config]: bucketAction, [buckets.members]: membersAction },
  };
}

function streamConfig(
  names: { name: string; subjects: readonly string[] },
  s: StreamSpec,
  retention: RetentionPolicy,
): DesiredStream {
  const dup = s.maxAgeMs > 0 ? Math.min(s.duplicateWindowMs, s.maxAgeMs) : s.duplicateWindowMs;
  return {
    name: names.name,
    subjects: [...names.subjects],
    retention,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: msToNanos(s.maxAgeMs),
    duplicate_window: msToNanos(dup),
    max_bytes: s.maxBytes,
    max_msgs: s.maxMsgs,
    num_replicas: s.replicas,
    deny_delete: true,
    deny_purge: true,
  };
}

function validateStreamSpec(which: string, s: StreamSpec): void {
  const bad = (field: string, v: number): never => {
    throw new ProvisionError(`${which}.${field} is invalid (got ${v})`);
  };
  if (!(s.maxAgeMs >= 0)) bad('maxAgeMs', s.maxAgeMs);
  if (!(s.duplicateWindowMs > 0)) bad('duplicateWindowMs', s.duplicateWindowMs);
  if (!Number.isInteger(s.replicas) || s.replicas < 1 || s.replicas > 5) bad('replicas', s.replicas);
  if (!Number.isInteger(s.maxBytes) || s.maxBytes < -1) bad('maxBytes', s.maxBytes);
  if (!Number.isInteger(s.maxMsgs) || s.maxMsgs < -1) bad('maxMsgs', s.maxMsgs);
}

/**
 * Creates the KV bucket as the stream nats.js would make for it (file storage, limits, history per key, roll-ups,
 * direct get, discard new, `maxAgeMs` as max age: 0 = keep) but with `deny_delete` from the start, or brings history/replicas/deny_delete of an
 * existing one to the wanted values. Created in one step on purpose: a create without the flag followed by an update
 * setting it was replayed by a restarting nats-server 2.9 cluster node as an update cancelling deny_delete, which it
 * refused and then crashed on (nil stream in processClusterCreateStream).
 */
async function ensureBucket(jsm: JetStreamManager, bucket: string, history: number, replicas: number, maxAgeMs = 0): Promise<ProvisionAction> {
  const desired: DesiredStream = {
    name: `KV_${bucket}`,
    subjects: [`$KV.${bucket}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.New,
    max_msgs_per_subject: history,
    max_age: msToNanos(maxAgeMs),
    num_replicas: replicas,
    allow_rollup_hdrs: true,
    allow_direct: true,
    // deny_delete only: KV roll-ups (purging a key) need the purge permission.
    deny_delete: true,
  };
  return ensureStream(jsm, desired);
}
