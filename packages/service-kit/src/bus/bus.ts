import type { Validator } from '@arb/contracts';
import { natsServerList } from './server-list';
import { splitServerCredentials } from './server-urls';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, type PubAck } from '@nats-io/jetstream';
import { connect, type MsgHdrs, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { BusError } from '../errors';
import { createRateLimitedLog, type RateLimitedLog } from '../log/rate-limited-log';
import { redactUrlCredentials } from '../log/redact';
import { busMetrics, type BusMetrics } from './bus-metrics';
import { typedSubscribe, type BusSubscription, type MessageHandler, type SubscribeOptions } from './subscribe';

export interface BusOptions {
  /** NATS server URL(s), e.g. `nats://127.0.0.1:4222`; a string may list a cluster's servers separated by commas. */
  url: string | string[];
  /** Connection name shown by the server (service name + instance). */
  name: string;
  logger: Logger;
  registry: Registry;
  /** Minimum time between two log lines about invalid messages of one schema; default 10 s. */
  invalidLogIntervalMs?: number;
  /**
   * Extra nats.js connection options (credentials, TLS, `waitOnFirstConnect`, ...); override the defaults. A user
   * given here or in the URL gets the private inbox prefix `_INBOX_<user>` unless `inboxPrefix` is set.
   */
  connect?: Partial<NodeConnectionOptions>;
}

/**
 * Replies (request answers, PubAcks, JetStream deliveries) of a logged-in user arrive under `_INBOX_<user>.>`, which
 * the server lets only that user subscribe to (k8s/base/nats/nats.conf): no other service sees them. Anonymous
 * connections (local runs without auth) keep nats.js' `_INBOX`.
 */
export function inboxPrefixOf(user: string | undefined): string | undefined {
  return user === undefined || user === '' ? undefined : `_INBOX_${user.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export interface PublishJsOptions {
  /** `Nats-Msg-Id`: the stream drops a second message with this id within its duplicate window. */
  msgId?: string;
  /** How long to wait for the PubAck (ms); default nats.js' (5 s). */
  timeoutMs?: number;
  headers?: MsgHdrs;
}

/** A NATS connection that only sends and accepts messages valid for their schema. */
export interface Bus {
  readonly name: string;
  /** The raw connection, for what the typed API does not cover. */
  readonly nc: NatsConnection;
  /** Validates (throws ValidationError: a publisher bug), JSON-encodes and publishes on core NATS. */
  publish<S extends TSchema>(subject: string, validator: Validator<S>, msg: Static<S>, opts?: { headers?: MsgHdrs }): void;
  /** Same, through JetStream; resolves with the stream's PubAck (`duplicate` true if msgId was seen). */
  publishJs<S extends TSchema>(subject: string, validator: Validator<S>, msg: Static<S>, opts?: PublishJsOptions): Promise<PubAck>;
  /** Decodes + validates each message; invalid ones are counted, logged rate-limited and dropped. */
  subscribe<S extends TSchema>(
    subject: string,
    validator: Validator<S>,
    handler: MessageHandler<Static<S>>,
    opts?: SubscribeOptions,
  ): BusSubscription;
  jetstream(): JetStreamClient;
  jetstreamManager(): Promise<JetStreamManager>;
  /** Round trip to the server: everything published before has reached it. */
  flush(): Promise<void>;
  isClosed(): boolean;
  /** Drains every subscription (waiting for running handlers), flushes publishes, closes. Idempotent. */
  drain(): Promise<void>;
  /** Closes at once (pending publishes may be lost). */
  close(): Promise<void>;
  /** Resolves when the connection is closed (to an Error if it closed because of one). */
  closed(): Promise<void | Error>;
}

export async function connectBus(opts: BusOptions): Promise<Bus> {
  const { logger, registry } = opts;
  let nc: NatsConnection;
  let where = redactUrlCredentials(String(opts.url));
  try {
    const urls = natsServerList(opts.url);
    where = urls.map(redactUrlCredentials).join(',');
    const { servers, user, pass } = splitServerCredentials(urls);
    const inboxPrefix = inboxPrefixOf(opts.connect?.user ?? user);
    nc = await connect({
      servers,
      ...(user !== undefined ? { user, pass } : {}),
      ...(inboxPrefix !== undefined ? { inboxPrefix } : {}),
      name: opts.name,
      timeout: 2_000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: 10_000,
      // Without it nats.js builds two Errors with stack traces (RequestError, TimeoutError) for every request, i.e.
      // every JetStream publish, in case one fails: measurable per opportunity (issue 14). Errors still carry their
      // message and cause; only the async stack of the caller is not captured.
      noAsyncTraces: true,
      ...(opts.connect ?? {}),
    });
  } catch (cause) {
    throw new BusError(`cannot connect to NATS at ${where}: ${(cause as Error).message}`, { cause });
  }
  const metrics = busMetrics(registry);
  metrics.connected.set(1);
  logger.info({ url: where, name: opts.name }, 'connected to NATS');
  void watchStatus(nc, logger, metrics);
  return new NatsBus(opts.name, nc, logger, metrics, opts.invalidLogIntervalMs ?? 10_000);
}

async function watchStatus(nc: NatsConnection, logger: Logger, metrics: BusMetrics): Promise<void> {
  try {
    for await (const s of nc.status()) {
      switch (s.type) {
        case 'disconnect':
          metrics.connected.set(0);
          logger.warn({ server: s.server }, 'NATS disconnected');
          break;
        case 'reconnect':
          metrics.connected.set(1);
          metrics.reconnects.inc();
          logger.info({ server: s.server }, 'NATS reconnected');
          break;
        case 'error':
          logger.error({ err: s.error }, 'NATS error');
          break;
        case 'slowConsumer':
          metrics.slowConsumers.inc();
          logger.warn({ subject: s.sub.getSubject(), pending: s.pending }, 'NATS slow consumer');
          break;
        case 'ldm':
          logger.warn({ server: s.server }, 'NATS server entering lame-duck mode');
          break;
        default:
          break;
      }
    }
  } catch (err) {
    logger.debug({ err }, 'NATS status watch ended');
  }
  metrics.connected.set(0);
}

class NatsBus implements Bus {
  private js: JetStreamClient | undefined;
  private jsm: Promise<JetStreamManager> | undefined;
  private readonly subs = new Set<BusSubscription>();
  private readonly rateLimited: RateLimitedLog;
  private draining: Promise<void> | undefined;

  constructor(
    readonly name: string,
    readonly nc: NatsConnection,
    private readonly logger: Logger,
    private readonly metrics: BusMetrics,
    invalidLogIntervalMs: number,
  ) {
    this.rateLimited = createRateLimitedLog(logger, invalidLogIntervalMs);
  }

  publish<S extends TSchema>(subject: string, validator: Validator<S>, msg: Static<S>, opts?: { headers?: MsgHdrs }): void {
    const data = JSON.stringify(validator.assert(msg));
    try {
      this.nc.publish(subject, data, opts?.headers !== undefined ? { headers: opts.headers } : undefined);
    } catch (cause) {
      throw new BusError(`publish to ${subject} failed: ${(cause as Error).message}`, { cause });
    }
    this.metrics.published.labels(validator.schemaId).inc();
  }

  async publishJs<S extends TSchema>(
    subject: string,
    validator: Validator<S>,
    msg: Static<S>,
    opts: PublishJsOptions = {},
  ): Promise<PubAck> {
    const data = JSON.stringify(validator.assert(msg));
    try {
      const ack = await this.jetstream().publish(subject, data, {
        ...(opts.msgId !== undefined ? { msgID: opts.msgId } : {}),
        ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
        ...(opts.headers !== undefined ? { headers: opts.headers } : {}),
      });
      this.metrics.published.labels(validator.schemaId).inc();
      return ack;
    } catch (cause) {
      throw new BusError(`JetStream publish to ${subject} failed: ${(cause as Error).message}`, { cause });
    }
  }

  subscribe<S extends TSchema>(
    subject: string,
    validator: Validator<S>,
    handler: MessageHandler<Static<S>>,
    opts?: SubscribeOptions,
  ): BusSubscription {
    let sub: BusSubscription;
    try {
      sub = typedSubscribe(
        { nc: this.nc, logger: this.logger, metrics: this.metrics, rateLimited: this.rateLimited },
        subject,
        validator,
        handler,
        opts,
      );
    } catch (cause) {
      throw new BusError(`subscribe to ${subject} failed: ${(cause as Error).message}`, { cause });
    }
    this.subs.add(sub);
    void sub.closed.then(() => this.subs.delete(sub));
    return sub;
  }

  jetstream(): JetStreamClient {
    this.js ??= jetstream(this.nc);
    return this.js;
  }

  jetstreamManager(): Promise<JetStreamManager> {
    this.jsm ??= jetstreamManager(this.nc).catch((cause: unknown) => {
      this.jsm = undefined;
      throw new BusError(`JetStream is not available: ${(cause as Error).message}`, { cause });
    });
    return this.jsm;
  }

  flush(): Promise<void> {
    return this.nc.flush();
  }

  isClosed(): boolean {
    return this.nc.isClosed();
  }

  drain(): Promise<void> {
    this.draining ??= (async () => {
      if (this.nc.isClosed()) return;
      await Promise.allSettled([...this.subs].map((s) => s.drain()));
      if (!this.nc.isClosed() && !this.nc.isDraining()) await this.nc.drain();
      await this.nc.closed();
      this.logger.info('NATS connection drained and closed');
    })();
    return this.draining;
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.close();
  }

  closed(): Promise<void | Error> {
    return this.nc.closed();
  }
}
