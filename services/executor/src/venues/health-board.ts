import type { VenueTradingClient } from '@arb/venues';
import { GuardedTradingClient } from './guarded-client';
import { VenueHealth, type Unavailable, type VenueHealthSettings } from './health';

export interface HealthBoardDeps {
  now(): number;
  /** A venue's availability changed (null = tradable again). */
  onChange?(venue: string, state: Unavailable | null): void;
  onProbeError?(venue: string, err: unknown): void;
}

/**
 * The trading health of every venue this executor trades (see VenueHealth): wraps the venue clients so every request
 * reports to it, answers admission from memory, and probes a venue whose rate-limit pause ended with an authenticated
 * read before trading there resumes.
 */
export class VenueHealthBoard {
  private readonly byVenue = new Map<string, VenueHealth>();
  private readonly last = new Map<string, string>();
  private guarded = new Map<string, VenueTradingClient>();

  constructor(
    private readonly settings: VenueHealthSettings,
    private readonly d: HealthBoardDeps,
  ) {}

  /** Wraps each client (creating its venue's health); use the returned map everywhere. */
  guard(clients: ReadonlyMap<string, VenueTradingClient>, hasStream: (venue: string) => boolean): Map<string, VenueTradingClient> {
    const out = new Map<string, VenueTradingClient>();
    for (const [venue, client] of clients) {
      const h = new VenueHealth(venue, this.settings, this.d.now(), hasStream(venue));
      this.byVenue.set(venue, h);
      out.set(venue, new GuardedTradingClient(client, h, this.d.now));
    }
    this.guarded = out;
    return out;
  }

  /** The health of a venue (undefined for a venue no client exists for). */
  get(venue: string): VenueHealth | undefined {
    return this.byVenue.get(venue);
  }

  unavailable(venue: string, now: number): Unavailable | null {
    return this.byVenue.get(venue)?.unavailable(now) ?? null;
  }

  get venues(): string[] {
    return [...this.byVenue.keys()];
  }

  /**
   * One pass: probes each venue whose pause is over (balances, through its guarded client: the outcome lands in its
   * health), then reports availability changes. Run it every `probeIntervalMs`.
   */
  async tick(): Promise<void> {
    const now = this.d.now();
    await Promise.all(
      [...this.byVenue].map(async ([venue, h]) => {
        if (!h.probeDue(now)) return;
        await this.guarded
          .get(venue)
          ?.balances()
          .catch((err: unknown) => this.d.onProbeError?.(venue, err));
      }),
    );
    const after = this.d.now();
    for (const [venue, h] of this.byVenue) {
      const state = h.unavailable(after);
      const key = state === null ? 'available' : state.reason;
      if (this.last.get(venue) === key) continue; // (the first pass always reports)
      this.last.set(venue, key);
      this.d.onChange?.(venue, state);
    }
  }
}
