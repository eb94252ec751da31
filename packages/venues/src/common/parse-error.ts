/** A venue frame or response that could not be turned into a typed event. Returned, never thrown past the parser. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  /** Venue symbol the frame was about, when that could still be read from it. */
  readonly venueSymbol: string | null;
  /** The frame's venue sequence number, when it could still be read (the number is then consumed). */
  readonly seq: number | null;

  constructor(
    message: string,
    /** The start of the offending text, for logs. */
    readonly sample: string,
    details: { venueSymbol?: string | null; seq?: number | null } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.venueSymbol = details.venueSymbol ?? null;
    this.seq = details.seq ?? null;
  }
}

/** First `max` characters of a text, for logs. */
export function sampleOf(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

/**
 * First `max` characters of any value as JSON, for logs. Never throws: a value JSON.stringify cannot handle (nested
 * deeper than the call stack, a BigInt) gets a short description instead (`String()` of a deep array would recurse too).
 */
export function sampleOfValue(value: unknown, max = 200): string {
  let s: string | undefined;
  try {
    s = JSON.stringify(value);
  } catch {
    s = undefined;
  }
  if (s === undefined) s = Array.isArray(value) ? `[array(${value.length})]` : typeof value === 'object' && value !== null ? '[object]' : String(value);
  return sampleOf(s, max);
}
