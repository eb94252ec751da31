import pino, { type Bindings, type ChildLoggerOptions, type DestinationStream, type Level, type Logger } from 'pino';
import { redactUrlCredentials, redactValue } from './redact';

export type { Logger, Level } from 'pino';

export interface LoggerOptions {
  /** Service or component name (`name` field of every line). */
  name: string;
  /** Minimum level; default `info`. */
  level?: Level | 'silent';
  /** Where JSON lines go; default stdout (synchronous). Tests pass a stream to capture output. */
  destination?: DestinationStream;
  /** Extra fields on every line. */
  base?: Record<string, unknown>;
}

/**
 * A pino JSON logger that never writes secrets: values under keys like password/token/apiKey/secret/signature are
 * `[REDACTED]` at any depth (log fields and child bindings), credentials in URLs are masked in fields and messages,
 * and Errors (under any key) are serialized with their cause chain. Time is epoch ms (`time`).
 */
export function createLogger(opts: LoggerOptions): Logger {
  const logger = pino(
    {
      name: opts.name,
      level: opts.level ?? 'info',
      base: { pid: process.pid, ...(opts.base ?? {}) },
      // Errors are already serialized (and redacted) by formatters.log; pino's own err serializer would re-type them.
      serializers: { err: (value: unknown) => value },
      formatters: {
        log: (obj) => redactValue(obj) as Record<string, unknown>,
        bindings: (bindings) => redactValue(bindings) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const safe: unknown[] = args.map((a: unknown) => (typeof a === 'string' ? redactUrlCredentials(a) : a));
          // pino uses an Error's message as the line's `msg` when none is given: mask that too.
          const [first, second] = safe;
          if (first instanceof Error && typeof second !== 'string') safe.splice(1, 0, redactUrlCredentials(first.message));
          method.apply(this, safe as Parameters<typeof method>);
        },
      },
    },
    opts.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  // pino applies formatters.bindings to the root only; children (and theirs: they inherit this method) redact here.
  type ChildFn = (this: Logger, bindings: Bindings, options?: ChildLoggerOptions) => Logger;
  const originalChild = logger.child as unknown as ChildFn;
  const child: ChildFn = function (bindings, options) {
    return originalChild.call(this, redactValue(bindings) as Bindings, options);
  };
  logger.child = child as unknown as Logger['child'];
  return logger;
}
