import { hmacKey, encodeParams, signedQuery, signPayload, signWsParams, wsSignaturePayload } from './signing';
import { Secret } from '../common/credentials';

// Official vectors (rest-api.md "SIGNED Endpoint Examples for POST /api/v3/order - HMAC Keys"), see venues.md.
const SECRET = new Secret('NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j');
const PAYLOAD = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';

describe('Binance HMAC signing', () => {
  const key = hmacKey(SECRET);

  it('vector 1: all parameters in the query string', () => {
    expect(signPayload(key, PAYLOAD)).toBe('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
    expect(signedQuery(key, PAYLOAD)).toBe(`${PAYLOAD}&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71`);
  });

  it('vector 2: query string followed by the body, no separator', () => {
    const query = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC';
    const body = 'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
    expect(signedQuery(key, query, body)).toBe(`${query}&signature=0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77`);
  });

  it('encodeParams keeps order and percent-encodes values (what is sent is what is signed)', () => {
    expect(encodeParams([['symbol', 'LTCBTC'], ['newClientOrderId', 'a1:b/c'], ['symbols', '["BTCUSDT"]']])).toBe(
      'symbol=LTCBTC&newClientOrderId=a1%3Ab%2Fc&symbols=%5B%22BTCUSDT%22%5D',
    );
    expect(encodeParams([['recvWindow', 5000], ['x', true]])).toBe('recvWindow=5000&x=true');
  });

  it('WebSocket API: params sorted by name, signature excluded', () => {
    const params = { timestamp: 1499827319559, apiKey: 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A', recvWindow: 5000 };
    const payload = wsSignaturePayload({ ...params, signature: 'ignored' });
    expect(payload).toBe('apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&recvWindow=5000&timestamp=1499827319559');
    expect(signWsParams(key, params)).toEqual({ ...params, signature: signPayload(key, payload) });
  });

  it('web-socket-api.md order.place example signature (HMAC key)', () => {
    // web-socket-api.md "SIGNED request example (HMAC)": params sorted, signed with the example secret.
    const params = {
      apiKey: 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
      newOrderRespType: 'ACK',
      price: '52000.00',
      quantity: '0.01000000',
      recvWindow: 100,
      side: 'SELL',
      symbol: 'BTCUSDT',
      timeInForce: 'GTC',
      timestamp: 1645423376532,
      type: 'LIMIT',
    };
    expect(signWsParams(key, params).signature).toBe('cc15477742bd704c29492d96c7ead9414dfd8e0ec4a00f947bb5bb454ddbd08a');
  });
});
