import { sleep } from '../lib/clock';
import { BenchTimeoutError } from '../lib/deadline';

/** Polls `cond` every 50 ms until true; BenchTimeoutError (message from `what`) after `timeoutMs`. */
export async function waitUntil(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new BenchTimeoutError(what(), timeoutMs);
    await sleep(50);
  }
}
