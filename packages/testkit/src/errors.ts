/** A server binary (nats-server, redis-server) is not installed where the testkit looks for it. */
export class BinaryNotFoundError extends Error {
  override readonly name = 'BinaryNotFoundError';
  constructor(
    readonly binary: string,
    readonly searched: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      `${binary} not found (searched PATH and ${searched.join(', ')}); install it (apt-get install -y ${binary}) ` +
        'or run with a Docker engine (ARB_TESTKIT_RUNTIME=docker)',
      options,
    );
  }
}

/** A server process or container did not become ready (it exited early or timed out). */
export class ServerStartError extends Error {
  override readonly name = 'ServerStartError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The requested container runtime is not usable (bad ARB_TESTKIT_RUNTIME or no Docker engine answering). */
export class ContainerRuntimeError extends Error {
  override readonly name = 'ContainerRuntimeError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A Redis server answered a raw command (respCall) with an error reply. */
export class RespReplyError extends Error {
  override readonly name = 'RespReplyError';
  constructor(
    readonly reply: string,
    options?: { cause?: unknown },
  ) {
    super(`Redis answered -${reply}`, options);
  }
}
