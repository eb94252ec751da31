/** Thrown when a bench step does not finish in time. */
export class BenchTimeoutError extends Error {
  override readonly name = 'BenchTimeoutError';
  constructor(what: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(`${what}: not done within ${timeoutMs} ms`, options);
  }
}

/**
 * `promise`, or a rejection after `timeoutMs` (BenchTimeoutError, message from `what()`) or as soon as `abort`
 * settles (e.g. the process under test exited: its description is the error).
 */
export function within<T>(promise: Promise<T>, timeoutMs: number, what: () => string, abort?: Promise<string>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new BenchTimeoutError(what(), timeoutMs)), timeoutMs);
    abort?.then((reason) => {
      clearTimeout(timer);
      reject(new Error(`${what()}: ${reason}`));
    });
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
