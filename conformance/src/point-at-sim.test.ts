import { pointAtSim } from './point-at-sim';

describe('pointAtSim', () => {
  it("rewrites every https/wss URL of a ccxt urls.api tree to the simulator's host, keeping paths", () => {
    const api = {
      public: 'https://api.binance.com/api/v3',
      fapiPublic: 'https://fapi.binance.com/fapi/v1',
      ws: { spot: 'wss://stream.binance.com:9443/ws', 'ws-api': { spot: 'wss://ws-api.binance.com:443/ws-api/v3' } },
      rest: 'https://api.coinbase.com',
      list: ['https://a.example/x', 7],
    };
    expect(pointAtSim(api, '127.0.0.1:18081')).toEqual({
      public: 'http://127.0.0.1:18081/api/v3',
      fapiPublic: 'http://127.0.0.1:18081/fapi/v1',
      ws: { spot: 'ws://127.0.0.1:18081/ws', 'ws-api': { spot: 'ws://127.0.0.1:18081/ws-api/v3' } },
      rest: 'http://127.0.0.1:18081',
      list: ['http://127.0.0.1:18081/x', 7],
    });
    expect(api.public).toBe('https://api.binance.com/api/v3');
  });
});
