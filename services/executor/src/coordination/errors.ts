/** A decimal amount argument was not a plain, finite decimal string (or was negative where it must not be). */
export class InvalidAmountError extends Error {
  override readonly name = 'InvalidAmountError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A holder id was empty, too long or contained `|` (the semaphore member separator). */
export class InvalidHolderError extends Error {
  override readonly name = 'InvalidHolderError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A coordination script answered something it never returns (a bug or a foreign value under one of our keys). */
export class CoordinationReplyError extends Error {
  override readonly name = 'CoordinationReplyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Fewer replicas than required acknowledged the coordination writes (WAIT), or WAIT itself failed. */
export class ReplicaAckError extends Error {
  override readonly name = 'ReplicaAckError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
