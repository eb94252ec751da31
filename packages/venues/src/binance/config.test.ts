import { binanceSymbolMap, bookTickerStreamName, combinedStreamUrl, depthSnapshotUrl, depthStreamName, exchangeInfoUrl, toBinanceSymbol } from './config';

describe('binance config', () => {
  it('maps symbols and builds stream names and URLs', () => {
    expect(toBinanceSymbol('BTC-USDT')).toBe('BTCUSDT');
    expect(binanceSymbolMap(['BTC-USDT', 'ETH-BTC']).get('ETHBTC')).toBe('ETH-BTC');
    expect(depthStreamName('BTC-USDT', '1000ms')).toBe('btcusdt@depth');
    expect(depthStreamName('BTC-USDT', '100ms')).toBe('btcusdt@depth@100ms');
    expect(depthStreamName('BTC-USDT', '0ms')).toBe('btcusdt@depth@0ms');
    expect(bookTickerStreamName('ETH-USDT')).toBe('ethusdt@bookTicker');
    expect(combinedStreamUrl('wss://stream.binance.com:9443/', ['a', 'b'])).toBe('wss://stream.binance.com:9443/stream?streams=a/b');
    expect(depthSnapshotUrl('https://api.binance.com', 'BTC-USDT', 1000)).toBe('https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=1000');
    expect(decodeURIComponent(exchangeInfoUrl('http://h', ['BTC-USDT']))).toBe('http://h/api/v3/exchangeInfo?symbols=["BTCUSDT"]');
  });
});
