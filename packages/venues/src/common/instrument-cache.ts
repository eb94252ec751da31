import { nowMs } from './clock';
import type { InstrumentInfo } from './instrument';

/** Trading rules by symbol, each kept `ttlMs` after it was loaded. */
export class InstrumentCache {
  private readonly rules = new Map<string, { info: InstrumentInfo; at: number }>();

  constructor(private readonly ttlMs: number) {}

  peek(symbol: string): InstrumentInfo | undefined {
    return this.rules.get(symbol)?.info;
  }

  /** The rules of `symbols` (unknown ones left out), loading the missing or expired ones with `load` first. */
  async get(symbols: readonly string[], load: (stale: string[]) => Promise<readonly InstrumentInfo[]>): Promise<InstrumentInfo[]> {
    const now = nowMs();
    const stale = symbols.filter((s) => {
      const r = this.rules.get(s);
      return r === undefined || now - r.at > this.ttlMs;
    });
    if (stale.length > 0) for (const info of await load(stale)) this.rules.set(info.symbol, { info, at: now });
    return symbols.flatMap((s) => {
      const r = this.rules.get(s);
      return r === undefined ? [] : [r.info];
    });
  }
}
