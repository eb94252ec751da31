import type { Validator } from '@arb/contracts';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Logger } from 'pino';
import type { RateLimitedLog } from '../log/rate-limited-log';
import type { BusMetrics } from './bus-metrics';

export type MessageHandler<T> = (msg: T, raw: Msg) => void | Promise<void>;

export interface SubscribeOptions {
  /** Queue group: each message goes to one member of the group. */
  queue?: string;
  /** Auto-unsubscribe after this many messages. */
  max?: number;
  /** Run async handlers one at a time in arrival order (default: each message's handler starts at once). */
  serial?: boolean;
}

export interface BusSubscription {
  readonly subject: string;
  /** Stops delivery at once; handlers already running finish on their own. */
  unsubscribe(): void;
  /** Processes what the server already sent, stops, and waits for running handlers. */
  drain(): Promise<void>;
  /** Resolves when the subscription has ended. */
  readonly closed: Promise<void>;
}

export interface SubscriptionDeps {
  nc: NatsConnection;
  logger: Logger;
  metrics: BusMetrics;
  rateLimited: RateLimitedLog;
}

/**
 * A subscription that decodes and validates each message before the handler sees it. Bad JSON or a schema failure
 * is counted (`bus_invalid_messages_total{schema}`), logged at most once per interval per schema, and dropped; a
 * handler that throws or rejects is counted (`bus_handler_errors_total{schema}`) and logged. Neither ends the
 * subscription.
 */
export function typedSubscribe<S extends TSchema>(
  deps: SubscriptionDeps,
  subject: string,
  validator: Validator<S>,
  handler: MessageHandler<Static<S>>,
  opts: SubscribeOptions = {},
): BusSubscription {
  const { logger, metrics, rateLimited } = deps;
  const schema = validator.schemaId;
  const invalid = metrics.invalid.labels(schema);
  const received = metrics.received.labels(schema);
  const handlerErrors = metrics.handlerErrors.labels(schema);
  const running = new Set<Promise<void>>();
  let tail: Promise<void> = Promise.resolve();

  const onHandlerError = (err: unknown, raw: Msg): void => {
    handlerErrors.inc();
    rateLimited(`handler:${schema}:${subject}`, { err, schema, subject: raw.subject }, 'message handler failed');
  };

  const run = (value: Static<S>, raw: Msg): void => {
    let result: void | Promise<void>;
    try {
      result = handler(value, raw);
    } catch (err) {
      onHandlerError(err, raw);
      return;
    }
    if (result instanceof Promise) {
      const tracked: Promise<void> = result.catch((err: unknown) => onHandlerError(err, raw)).finally(() => running.delete(tracked));
      running.add(tracked);
    }
  };

  const runSerial = async (value: Static<S>, raw: Msg): Promise<void> => {
    try {
      await handler(value, raw);
    } catch (err) {
      onHandlerError(err, raw);
    }
  };

  const sub = deps.nc.subscribe(subject, {
    ...(opts.queue !== undefined ? { queue: opts.queue } : {}),
    ...(opts.max !== undefined ? { max: opts.max } : {}),
    callback: (err, raw) => {
      if (err !== null) {
        rateLimited(`sub-error:${subject}`, { err, subject }, 'subscription error');
        return;
      }
      let value: Static<S>;
      try {
        value = validator.decode(raw.data);
      } catch (cause) {
        invalid.inc();
        rateLimited(`invalid:${schema}`, { schema, subject: raw.subject, err: cause }, 'invalid message dropped');
        return;
      }
      received.inc();
      if (opts.serial === true) {
        tail = tail.then(() => runSerial(value, raw));
      } else {
        run(value, raw);
      }
    },
  });

  const closed = sub.closed.then((err) => {
    if (err instanceof Error) logger.error({ err, subject }, 'subscription closed with an error');
  });

  return {
    subject,
    unsubscribe: () => {
      if (!sub.isClosed()) sub.unsubscribe();
    },
    async drain() {
      if (!sub.isClosed() && !sub.isDraining()) await sub.drain();
      await sub.closed;
      await tail;
      await Promise.allSettled([...running]);
    },
    closed,
  };
}
