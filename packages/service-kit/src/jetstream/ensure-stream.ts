import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { ProvisionError } from '../errors';

export type ProvisionAction = 'created' | 'updated' | 'unchanged';

/** Fields a stream cannot change after creation. */
const IMMUTABLE_STREAM_FIELDS = ['retention', 'storage'] as const;

export type DesiredStream = Partial<StreamConfig> & { name: string };

/**
 * Creates the stream, or updates it when any field given in `desired` differs; leaves it alone otherwise.
 * Safe when several processes run it at once: a lost creation race falls through to compare/update.
 */
export async function ensureStream(jsm: JetStreamManager, desired: DesiredStream): Promise<ProvisionAction> {
  let existing = await streamInfoOrNull(jsm, desired.name);
  if (existing === null) {
    try {
      await jsm.streams.add(desired);
      return 'created';
    } catch (cause) {
      existing = await streamInfoOrNull(jsm, desired.name);
      if (existing === null) throw wrap(`cannot create stream ${desired.name}`, cause);
    }
  }
  const diff = configDiff(desired, existing.config);
  if (diff.length === 0) return 'unchanged';
  const immutable = diff.filter((k) => (IMMUTABLE_STREAM_FIELDS as readonly string[]).includes(k));
  if (immutable.length > 0) {
    const what = immutable.map((k) => `${k} ${String(field(existing.config, k))} → ${String(field(desired, k))}`);
    throw new ProvisionError(
      `stream ${desired.name} exists with a different ${what.join(', ')}; this cannot be changed in place: ` +
        'delete the stream (its messages are lost) or keep its settings',
    );
  }
  try {
    await jsm.streams.update(desired.name, { ...existing.config, ...desired });
  } catch (cause) {
    throw wrap(`cannot update stream ${desired.name} (${diff.join(', ')})`, cause);
  }
  return 'updated';
}

export async function streamInfoOrNull(jsm: JetStreamManager, name: string): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(name);
  } catch (cause) {
    if (cause instanceof JetStreamApiError && cause.code === JetStreamApiCodes.StreamNotFound) return null;
    throw wrap(`cannot read stream ${name}`, cause);
  }
}

/** Keys set in `desired` whose value differs from `actual` (arrays compared as sets of JSON values). */
export function configDiff(desired: object, actual: object): string[] {
  const out: string[] = [];
  for (const [key, want] of Object.entries(desired)) {
    if (want === undefined) continue;
    if (!sameValue(want, field(actual, key))) out.push(key);
  }
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const sa = a.map((v) => JSON.stringify(v)).sort();
    const sb = b.map((v) => JSON.stringify(v)).sort();
    return sa.length === sb.length && sa.every((v, i) => v === sb[i]);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

function field(obj: object, key: string): unknown {
  return (obj as Record<string, unknown>)[key];
}

export function wrap(what: string, cause: unknown): ProvisionError {
  return new ProvisionError(`${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
}
