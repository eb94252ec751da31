/** The simulator configuration is invalid. */
export class SimConfigError extends Error {
  override readonly name = 'SimConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
