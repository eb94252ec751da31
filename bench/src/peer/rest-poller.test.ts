import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RestPoller, type PolledBook } from './rest-poller';

/** A two-venue REST stand-in: Binance /api/v3/depth and Coinbase product_book, tops settable. */
async function venues(tops: { binance: [number, number]; coinbase: [number, number] }): Promise<{ url: string; server: Server; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    hits.push(`${u.pathname}?${u.searchParams.toString()}`);
    res.setHeader('content-type', 'application/json');
    if (u.pathname === '/api/v3/depth') {
      const [bid, ask] = tops.binance;
      res.end(JSON.stringify({ lastUpdateId: 1, bids: [[String(bid), '1']], asks: [[String(ask), '1']] }));
    } else if (u.pathname === '/api/v3/brokerage/market/product_book') {
      const [bid, ask] = tops.coinbase;
      res.end(JSON.stringify({ pricebook: { product_id: u.searchParams.get('product_id'), bids: [{ price: String(bid), size: '1' }], asks: [{ price: String(ask), size: '1' }] } }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits };
}

describe('RestPoller', () => {
  const tops = { binance: [100, 100.01] as [number, number], coinbase: [100, 100.02] as [number, number] };
  let v: Awaited<ReturnType<typeof venues>>;
  let poller: RestPoller;

  beforeAll(async () => {
    v = await venues(tops);
  });
  afterEach(async () => {
    await poller.stop();
  });
  afterAll(async () => {
    await new Promise((r) => v.server.close(r));
  });

  const start = (): RestPoller => {
    poller = new RestPoller({ binanceUrl: v.url, coinbaseUrl: v.url, symbols: ['BTC-USDT'], intervalMs: 10, fees: { binance: 0.0002, coinbase: 0.0003 }, minEdge: 0.0002 });
    poller.start();
    return poller;
  };
  const until = async (check: () => boolean): Promise<void> => {
    for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  };

  it('polls both venues on its timer and sees no cross while they agree', async () => {
    const p = start();
    await until(() => p.polls >= 3);
    expect(p.polls).toBeGreaterThanOrEqual(3);
    expect(p.detections).toEqual([]);
    expect(v.hits).toContain('/api/v3/depth?symbol=BTCUSDT&limit=5');
    expect(v.hits).toContain('/api/v3/brokerage/market/product_book?product_id=BTC-USDT&limit=5');
  });

  it('detects a cross after both fees (buy the cheap venue, sell the dear one), and only then', async () => {
    const p = start();
    await until(() => p.polls >= 1);
    const from = performance.timeOrigin + performance.now();
    tops.coinbase = [100.2, 100.21]; // coinbase bid 100.2 vs binance ask 100.01: about 14 bps after 5 bps of fees
    await until(() => p.detections.length > 0);
    const d = p.detections[0];
    expect(d).toMatchObject({ symbol: 'BTC-USDT', buy: 'binance', sell: 'coinbase' });
    expect(p.firstBetween('BTC-USDT', 'binance', 'coinbase', from, Number.POSITIVE_INFINITY)).toBe(d?.at);
    expect(p.firstBetween('BTC-USDT', 'coinbase', 'binance', 0, Number.POSITIVE_INFINITY)).toBeUndefined();
    tops.coinbase = [100.015, 100.03]; // 1.5 bps gross: below fees plus 2 bps
    const n = p.detections.length;
    await until(() => p.polls > 0 && p.detections.length === n);
    await new Promise((r) => setTimeout(r, 50));
    const after = p.detections.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(p.detections.length).toBe(after);
  });

  it('hands every complete poll to onPoll with both venues\' levels as exact strings', async () => {
    const polls: Array<{ books: readonly PolledBook[]; at: number }> = [];
    poller = new RestPoller({
      binanceUrl: v.url,
      coinbaseUrl: v.url,
      symbols: ['BTC-USDT'],
      intervalMs: 10,
      fees: { binance: 0.0002, coinbase: 0.0003 },
      minEdge: 0.0002,
      onPoll: (books, at) => polls.push({ books, at }),
    });
    poller.start();
    await until(() => polls.length >= 1);
    const books = polls[0]?.books ?? [];
    expect(books.map((b) => b.venue).sort()).toEqual(['binance', 'coinbase']);
    const cb = books.find((b) => b.venue === 'coinbase');
    expect(cb).toEqual({ venue: 'coinbase', symbol: 'BTC-USDT', bids: [[String(tops.coinbase[0]), '1']], asks: [[String(tops.coinbase[1]), '1']] });
  });
});
