/** Parent → ccxt worker: connect to the replay server and keep BTC/USDT's book until update id `lastId`. */
export interface CcxtStart {
  readonly type: 'start';
  readonly wsUrl: string;
  readonly restUrl: string;
  readonly lastId: number;
}

/** Worker → parent, once the book is synced (snapshot applied) and once it reached `lastId`. */
export interface CcxtProgress {
  readonly type: 'synced' | 'done';
  /** The book's update id (ccxt `nonce`). */
  readonly nonce: number;
  /** process.cpuUsage() user + system, seconds, at that moment. */
  readonly cpuSeconds: number;
  /** performance.timeOrigin + performance.now() at that moment. */
  readonly at: number;
  /** Times the watch loop woke up with a newer book. */
  readonly wakeups: number;
  /** Top 20 levels per side (ccxt keeps floats), on `done`. */
  readonly bids?: readonly [number, number][];
  readonly asks?: readonly [number, number][];
}

export function isCcxtStart(v: unknown): v is CcxtStart {
  const o = v as Record<string, unknown>;
  return typeof v === 'object' && v !== null && o.type === 'start' && typeof o.wsUrl === 'string' && typeof o.restUrl === 'string' && typeof o.lastId === 'number';
}

export function isCcxtProgress(v: unknown): v is CcxtProgress {
  const o = v as Record<string, unknown>;
  return (
    typeof v === 'object' &&
    v !== null &&
    (o.type === 'synced' || o.type === 'done') &&
    typeof o.nonce === 'number' &&
    typeof o.cpuSeconds === 'number' &&
    typeof o.at === 'number' &&
    typeof o.wakeups === 'number'
  );
}
