/** A runtime config document (to be written, or found in the KV bucket) is not valid. `issues`: `path: why (got x)`. */
export class RuntimeConfigInvalidError extends Error {
  override readonly name = 'RuntimeConfigInvalidError';
  constructor(
    message: string,
    readonly issues: readonly string[],
    /** KV revision of the stored document, when the invalid document is the stored one (0 otherwise). */
    readonly revision = 0,
    /** The offending document as parsed (undefined when it was not even JSON). */
    readonly value: unknown = undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An optimistic write lost: the key's revision is no longer the one the writer read. */
export class RuntimeConfigConflictError extends Error {
  override readonly name = 'RuntimeConfigConflictError';
  constructor(
    readonly expectedRevision: number,
    /** The key's revision when the conflict was detected (undefined if it could not be read). */
    readonly actualRevision: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `runtime config changed concurrently: expected revision ${expectedRevision}, ` +
        `found ${actualRevision ?? 'unknown'}; read it again and retry`,
      options,
    );
  }
}

/** The KV bucket cannot be reached or does not exist. */
export class RuntimeConfigUnavailableError extends Error {
  override readonly name = 'RuntimeConfigUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
