import { VenueAuthError, type VenueTradingClient } from '@arb/venues';
import { withTimeout } from '@arb/service-kit';
import type { VenueHealthBoard } from './health-board';

/** ok: an authenticated read succeeded; refused: the venue rejected our credentials; unverified: no answer yet. */
export type CredentialStatus = 'ok' | 'refused' | 'unverified';

export interface CredentialResult {
  venue: string;
  status: CredentialStatus;
  /** Error class, venue code and the venue's public message (never a key, signature or token). */
  error?: string;
}

export interface CredentialCheckDeps {
  /** The guarded clients (their outcomes also land in the venues' health). */
  clients: ReadonlyMap<string, VenueTradingClient>;
  health: VenueHealthBoard;
  timeoutMs: number;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; httpStatus?: unknown };
    const code = e.code ?? e.httpStatus;
    return `${e.name}${code !== undefined && code !== null ? ` ${String(code)}` : ''}: ${e.message}`;
  }
  return String(err);
}

/**
 * Proves each venue accepts our credentials with an authenticated read (balances / account). A venue that refuses
 * them (401, bad signature, revoked key) is `refused` and unavailable for trading until a later check passes; one that
 * does not answer keeps its last status (a verified venue stays verified through a network blip) or stays unverified.
 */
export class CredentialCheck {
  private readonly status = new Map<string, CredentialResult>();

  constructor(private readonly d: CredentialCheckDeps) {
    for (const venue of d.clients.keys()) this.status.set(venue, { venue, status: 'unverified' });
  }

  /** Checks every venue at once; resolves with each venue's result. */
  async run(): Promise<CredentialResult[]> {
    return Promise.all(
      [...this.d.clients].map(async ([venue, client]) => {
        const prev = this.status.get(venue) ?? { venue, status: 'unverified' as const };
        let next: CredentialResult;
        try {
          await withTimeout(client.balances(), this.d.timeoutMs, `${venue} credential check`);
          next = { venue, status: 'ok' };
          this.d.health.get(venue)?.credentials(true);
        } catch (err) {
          if (err instanceof VenueAuthError) {
            next = { venue, status: 'refused', error: describe(err) };
            this.d.health.get(venue)?.credentials(false, next.error);
          } else {
            next = { venue, status: prev.status === 'ok' ? 'ok' : 'unverified', error: describe(err) };
          }
        }
        this.status.set(venue, next);
        return next;
      }),
    );
  }

  /** True when every venue's credentials are verified. */
  get allOk(): boolean {
    return [...this.status.values()].every((r) => r.status === 'ok');
  }

  results(): CredentialResult[] {
    return [...this.status.values()];
  }
}
