export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Error of a condition that did not come true in time. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/** Polls `probe` every `everyMs` until it returns a value other than undefined; throws after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new WaitTimeoutError(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}
