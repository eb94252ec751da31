/** Configuration could not be read, parsed or validated. `issues` lists each bad path (`/a/b: why (got x)`). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A NATS connection, publish or subscription failed (not a validation failure: that is ValidationError). */
export class BusError extends Error {
  override readonly name = 'BusError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A JetStream stream, consumer or KV bucket could not be created or brought to the wanted configuration. */
export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A shutdown hook failed or did not finish within its timeout. */
export class ShutdownHookError extends Error {
  override readonly name = 'ShutdownHookError';
  constructor(
    readonly hook: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An operation did not finish within its time limit. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
