import { feedFault } from './feed-fault';
import type { Scenario } from './scenario';

/** Both venues drop every WebSocket connection (abruptly) once a second while the fault lasts. */
export const venueDisconnect: Scenario = {
  name: 'venue-disconnect',
  fault: 'both venues close every market-data connection once a second (POST /control/faults disconnectEveryS: 1)',
  run: (ctx) => feedFault(ctx, { venues: ['binance', 'coinbase'], patch: { disconnectEveryS: 1 }, injected: 'disconnectsInjected', what: 'forced disconnects' }),
};
