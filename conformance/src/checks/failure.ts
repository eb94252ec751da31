/** A conformance check saw something else than the venue contract (its message says what). */
export class CheckFailure extends Error {
  override readonly name = 'CheckFailure';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Throws CheckFailure(`what`) unless `ok`. */
export function expectThat(ok: boolean, what: string): void {
  if (!ok) throw new CheckFailure(what);
}
