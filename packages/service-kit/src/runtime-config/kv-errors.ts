import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';

/** True for JetStream's answer to a write whose expected last subject sequence did not match. */
export function isWrongLastSequence(err: unknown): boolean {
  return (
    err instanceof JetStreamApiError &&
    (err.code === JetStreamApiCodes.StreamWrongLastSequence || err.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/** True when the error says the stream (the KV bucket) does not exist. */
export function isStreamNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
