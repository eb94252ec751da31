import { loadConfig } from '@arb/service-kit';
import { REPO_ROOT } from '@arb/testkit';
import { ExecutorConfig } from '../config';
import { EndpointConfigError, tradingEndpoints } from './clients';

const load = (mode: string, env: Record<string, string> = {}): ExecutorConfig =>
  loadConfig(ExecutorConfig, { env: { ARB_MODE: mode, ...env }, dir: `${REPO_ROOT}/config` });

describe('tradingEndpoints', () => {
  it('live mode trades on the configured venues.<v> URLs (defaults: the venues\' production endpoints)', () => {
    const live = load('live');
    expect(tradingEndpoints(live, 'binance', '/ws-api/v3', 'https://api.binance.com', 'wss://ws-api.binance.com:443/ws-api/v3')).toEqual({
      rest: 'https://api.binance.com',
      ws: 'wss://ws-api.binance.com:443/ws-api/v3',
    });
    const moved = load('live', {
      ARB__VENUES__BINANCE__REST_URL: 'http://10.1.2.3:8080/',
      ARB__VENUES__BINANCE__WS_URL: 'ws://10.1.2.3:8080',
      ARB__VENUES__BINANCE__TRADING_WS_URL: '',
    });
    expect(tradingEndpoints(moved, 'binance', '/ws-api/v3', 'https://api.binance.com', 'wss://ws-api.binance.com:443/ws-api/v3')).toEqual({
      rest: 'http://10.1.2.3:8080',
      ws: 'ws://10.1.2.3:8080/ws-api/v3',
    });
  });

  it('refuses a live REST URL moved away from production while the trading WebSocket still names it', () => {
    const half = load('live', { ARB__VENUES__COINBASE__REST_URL: 'http://proxy.local:9000' });
    expect(() => tradingEndpoints(half, 'coinbase', '/user', 'https://api.coinbase.com', 'wss://advanced-trade-ws-user.coinbase.com')).toThrow(EndpointConfigError);
  });

  it('sim mode derives the private WebSockets from wsUrl, so moving wsUrl moves them', () => {
    const sim = load('sim', { ARB__VENUES__COINBASE__WS_URL: 'ws://127.0.0.1:40001', ARB__VENUES__COINBASE__REST_URL: 'http://127.0.0.1:40001' });
    expect(tradingEndpoints(sim, 'coinbase', '/user', 'https://api.coinbase.com', 'wss://advanced-trade-ws-user.coinbase.com')).toEqual({
      rest: 'http://127.0.0.1:40001',
      ws: 'ws://127.0.0.1:40001/user',
    });
    expect(() => tradingEndpoints(sim, 'kraken', '/x', 'https://a', 'wss://b')).toThrow('venues.kraken.restUrl / wsUrl are not configured');
  });
});
