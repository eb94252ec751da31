/** Step lines: `[setup] pnpm 10.34.9 ok`. */
export function logger(tag) {
  const line = (stream, text) => stream.write(`[${tag}] ${text}\n`);
  return {
    info: (text) => line(process.stdout, text),
    error: (text) => line(process.stderr, text),
  };
}

/** Seconds since `t0` (ms), one decimal. */
export const since = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
