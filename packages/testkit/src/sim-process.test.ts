import { parseListeningLine, simVenueEnv } from './sim-process';

describe('parseListeningLine', () => {
  it('reads the three ports of the listening line and nothing else', () => {
    const line = '{"level":"info","event":"listening","binance":{"port":4101},"coinbase":{"port":4102},"control":{"port":4103}}';
    expect(parseListeningLine(line)).toEqual({ binance: 4101, coinbase: 4102, control: 4103 });
    expect(parseListeningLine('{"event":"listening","binance":{"port":1},"coinbase":{}}')).toBeNull();
    expect(parseListeningLine('{"event":"listening"')).toBeNull();
    expect(parseListeningLine('null')).toBeNull();
  });

  it('points the venue URLs at the sim ports', () => {
    expect(simVenueEnv({ ports: { binance: 1, coinbase: 2, control: 3 } })).toEqual({
      ARB__VENUES__BINANCE__REST_URL: 'http://127.0.0.1:1',
      ARB__VENUES__BINANCE__WS_URL: 'ws://127.0.0.1:1',
      ARB__VENUES__COINBASE__REST_URL: 'http://127.0.0.1:2',
      ARB__VENUES__COINBASE__WS_URL: 'ws://127.0.0.1:2',
    });
  });
});
