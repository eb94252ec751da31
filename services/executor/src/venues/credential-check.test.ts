import { VenueAuthError, VenueRateLimitError, VenueUnavailableError } from '@arb/venues';
import { FakeVenue } from '../../test/fake-venue';
import { CredentialCheck } from './credential-check';
import { VenueHealthBoard } from './health-board';

const SETTINGS = { rateLimitPauseMs: 1000, banPauseMs: 60_000, maxConsecutiveRejects: 3, rejectPauseMs: 5000, maxRejectPauseMs: 60_000, streamDownMs: 0 };

/** A fake venue whose balances() answer is scripted. */
class ScriptedVenue extends FakeVenue {
  balanceError: Error | null = null;
  reads = 0;
  override async balances() {
    this.reads++;
    if (this.balanceError !== null) throw this.balanceError;
    return [];
  }
}

describe('CredentialCheck and VenueHealthBoard', () => {
  let t = 1_000_000;
  const now = (): number => t;

  it('a refused credential makes the venue unavailable until a later check passes; a silent venue stays unverified', async () => {
    const changes: string[] = [];
    const board = new VenueHealthBoard(SETTINGS, { now, onChange: (v, s) => changes.push(`${v}:${s?.reason ?? 'ok'}`) });
    const binance = new ScriptedVenue('binance');
    const coinbase = new ScriptedVenue('coinbase');
    const clients = board.guard(new Map([['binance', binance], ['coinbase', coinbase]]), () => false);
    const check = new CredentialCheck({ clients, health: board, timeoutMs: 1000 });
    binance.balanceError = new VenueAuthError('binance GET /api/v3/account: HTTP 400 -1022 Signature for this request is not valid.', { venue: 'binance', code: -1022, httpStatus: 400 });
    coinbase.balanceError = new VenueUnavailableError('coinbase: network failure', { venue: 'coinbase' });
    const first = await check.run();
    expect(first.map((r) => [r.venue, r.status])).toEqual([['binance', 'refused'], ['coinbase', 'unverified']]);
    expect(first[0]?.error).toBe('VenueAuthError -1022: binance GET /api/v3/account: HTTP 400 -1022 Signature for this request is not valid.');
    expect(check.allOk).toBe(false);
    expect(board.unavailable('binance', t)).toMatchObject({ reason: 'credentials' });
    await board.tick();
    expect(changes).toEqual(['binance:credentials', 'coinbase:ok']);

    binance.balanceError = null;
    coinbase.balanceError = null;
    await check.run();
    expect(check.allOk).toBe(true);
    expect(board.unavailable('binance', t)).toBeNull();
    // A verified venue that does not answer a later check stays verified (a network blip is not a key problem).
    coinbase.balanceError = new VenueUnavailableError('coinbase: network failure', { venue: 'coinbase' });
    await check.run();
    expect(check.allOk).toBe(true);
    await board.tick();
    expect(changes).toEqual(['binance:credentials', 'coinbase:ok', 'binance:ok']);
  });

  it('the board probes a venue whose rate-limit pause is over with an authenticated read before it is tradable again', async () => {
    const board = new VenueHealthBoard(SETTINGS, { now });
    const binance = new ScriptedVenue('binance');
    const clients = board.guard(new Map([['binance', binance]]), () => false);
    binance.behave = () => ({ kind: 'fill' });
    const banned = new VenueRateLimitError('418', { venue: 'binance', httpStatus: 418, banned: true, retryAfterMs: 5000 });
    binance.placeIocLimit = async () => {
      throw banned;
    };
    await expect(clients.get('binance')?.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty: '1', limitPrice: '1', clientOrderId: 'a1-b' })).rejects.toBe(banned);
    expect(board.unavailable('binance', t)).toMatchObject({ reason: 'banned' });
    await board.tick();
    expect(binance.reads).toBe(0); // never during the ban
    t += 5001;
    binance.balanceError = new VenueRateLimitError('418', { venue: 'binance', httpStatus: 418, banned: true, retryAfterMs: 2000 });
    await board.tick(); // still refused: a new pause
    expect(binance.reads).toBe(1);
    expect(board.unavailable('binance', t)).toMatchObject({ reason: 'banned' });
    t += 2001;
    binance.balanceError = null;
    await board.tick();
    expect(binance.reads).toBe(2);
    expect(board.unavailable('binance', t)).toBeNull();
  });
});
