import type { InstrumentInfo, VenueTradingClient } from '@arb/venues';

/** Trading rules per venue and symbol, resolved once at start-up (never fetched on the hot path). */
export class InstrumentTable {
  private readonly byKey = new Map<string, InstrumentInfo>();

  set(venue: string, info: InstrumentInfo): void {
    this.byKey.set(`${venue}|${info.symbol}`, info);
  }

  get(venue: string, symbol: string): InstrumentInfo | undefined {
    return this.byKey.get(`${venue}|${symbol}`);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Loads every symbol of every client (in parallel); a venue that fails is reported, the others still load. */
  static async load(
    clients: ReadonlyMap<string, VenueTradingClient>,
    symbols: readonly string[],
  ): Promise<{ table: InstrumentTable; failures: { venue: string; error: unknown }[] }> {
    const table = new InstrumentTable();
    const failures: { venue: string; error: unknown }[] = [];
    await Promise.all(
      [...clients].map(async ([venue, client]) => {
        try {
          for (const info of await client.instruments(symbols)) table.set(venue, info);
        } catch (error) {
          failures.push({ venue, error });
        }
      }),
    );
    return { table, failures };
  }
}

/** Taker fee rate per venue and symbol (decimal strings) from `markets.venues`, for inventory reservations. */
export class FeeTable {
  constructor(
    private readonly venues: Readonly<Record<string, { takerFee?: string; symbols?: Record<string, { takerFee?: string }> }>>,
    private readonly fallback = '0.002',
  ) {}

  takerFee(venue: string, symbol: string): string {
    const v = this.venues[venue];
    return v?.symbols?.[symbol]?.takerFee ?? v?.takerFee ?? this.fallback;
  }
}
