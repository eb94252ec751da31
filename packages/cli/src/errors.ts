/** Exit codes: 0 ok, 1 failure (NATS, stored document broken), 2 bad input (nothing written), 3 lost a write race. */
export const EXIT = { ok: 0, failure: 1, input: 2, conflict: 3 } as const;

/** The command line is malformed (unknown command/option, missing argument). Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A value or document is not acceptable; the message names the path and the value. Exit 2, nothing written. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
