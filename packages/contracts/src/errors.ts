/** A name (subject, stream, key) could not be built from the given parts. */
export class InvalidNameError extends Error {
  override readonly name = 'InvalidNameError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A message failed schema validation. `issues` lists each failing path and why. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly schemaId: string,
    readonly issues: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`${schemaId}: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? ` (+${issues.length - 5} more)` : ''}`, options);
  }
}
