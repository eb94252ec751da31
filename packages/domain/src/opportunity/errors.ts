/** A market's fee/size rules (or detection parameters) are not usable: bad decimal, non-positive step, fee >= 1... */
export class InvalidMarketRulesError extends Error {
  override readonly name = 'InvalidMarketRulesError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A detection / confidence / risk parameter is out of range. */
export class InvalidDetectionParamsError extends Error {
  override readonly name = 'InvalidDetectionParamsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
