import { createHash } from 'node:crypto';

/** Which order of a trade: buy, sell, hedge attempt n, unwind attempt n (n = 1..9). */
export type LegTag = 'b' | 's' | `h${number}` | `u${number}`;

/** `a` + 20 lowercase hex chars of sha256(oppId): the prefix shared by every order of one trade (TRADING-CONTRACT). */
export function tradeKey(oppId: string): string {
  return `a${createHash('sha256').update(oppId).digest('hex').slice(0, 20)}`;
}

/** `<tradeKey>-<leg>`: deterministic, venue-safe client order id (`^[.A-Z:/a-z0-9_-]{1,36}$`). */
export function clientOrderId(key: string, leg: LegTag): string {
  return `${key}-${leg}`;
}

/** ExecutionReport id (also the journal's Nats-Msg-Id): one per opportunity, so a second journal is a duplicate. */
export function reportId(oppId: string): string {
  return `exec_${oppId}`;
}

/** Semaphore / route-lock holder of one trade: unique per trade, so a retried acquire never takes a second slot. */
export function holderId(executorId: string, key: string): string {
  return `${executorId}:${key}`;
}

/** Id of a correcting report of one trade: `exec_<oppId>~<10 hex of its content>` (the same correction written by two
 *  executors is one message for the stream's de-duplication; a different one is another message). */
export function correctionId(oppId: string, content: string): string {
  return `${reportId(oppId)}~${createHash('sha256').update(content).digest('hex').slice(0, 10)}`;
}
