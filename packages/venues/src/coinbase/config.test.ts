import { coinbaseSimEndpoints, productsUrl, toProductId } from './config';

describe('coinbase config', () => {
  it('maps symbols to product ids (with aliases) and builds URLs', () => {
    expect(toProductId('BTC-USD')).toBe('BTC-USD');
    expect(toProductId('BTC-USDT', { 'BTC-USDT': 'BTC-USDC' })).toBe('BTC-USDC');
    expect(productsUrl('https://api.coinbase.com/', ['BTC-USD', 'ETH-USD'])).toBe(
      'https://api.coinbase.com/api/v3/brokerage/market/products?product_ids=BTC-USD&product_ids=ETH-USD',
    );
    expect(coinbaseSimEndpoints(18082)).toEqual({ wsUrl: 'ws://127.0.0.1:18082/', restBaseUrl: 'http://127.0.0.1:18082' });
  });
});
