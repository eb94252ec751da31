import { BinanceMarketDataClient, type MarketDataEvent } from '@arb/venues';
import { WebSocket } from 'ws';
import { generateReplayData } from '../src/ingest/replay-data';
import { ReplayServer } from '../src/ingest/replay-server';

function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (check()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 10);
  });
}

describe('ReplayServer against the real Binance market-data client', () => {
  const data = generateReplayData({ frames: 3000, seed: 5 });
  let server: ReplayServer;
  let client: BinanceMarketDataClient | undefined;

  beforeEach(async () => {
    server = await ReplayServer.start(data);
  });
  afterEach(async () => {
    await client?.stop();
    client = undefined;
    await server.close();
  });

  it('syncs on the snapshot, then delivers every frame in order (paced and blasted) and the exact final book', async () => {
    client = new BinanceMarketDataClient({ wsBaseUrl: server.wsUrl, restBaseUrl: server.restUrl, symbols: ['BTC-USDT'], depthSpeed: '0ms' });
    const seqs: number[] = [];
    client.onEvent((ev: MarketDataEvent) => {
      if (ev.kind === 'book') seqs.push(ev.venueSeq);
    });
    client.start();
    await server.snapshotServed;
    await until(() => seqs.length === 1, 5000, 'the synced book');
    expect(seqs[0]).toBe(data.snapshot.lastUpdateId);

    const paced = await server.paced(20_000, 500);
    expect(paced.sent).toBe(500);
    await server.blast();
    const last = data.lastIds[data.lastIds.length - 1] as number;
    await until(() => seqs[seqs.length - 1] === last, 10_000, 'the last frame');

    expect(seqs).toEqual(Array.from(data.lastIds)); // one book per frame, none lost or reordered
    expect(client.counters()).toMatchObject({ gaps: 0, resyncs: 0, rejected: 0, reconnects: 0 });
    expect(server.connections).toBe(1);
    expect(server.snapshotRequests).toBe(1);
    const top = client.book('BTC-USDT')?.top(20);
    expect(top?.bids).toEqual(data.finalTop.bids.slice(0, 20));
    expect(top?.asks).toEqual(data.finalTop.asks.slice(0, 20));
    const instruments = await client.fetchInstruments();
    expect(instruments).toMatchObject([{ symbol: 'BTC-USDT', venueSymbol: 'BTCUSDT', tickSize: '0.01000000', trading: true }]);
  });

  it('refuses other streams and unknown symbols', async () => {
    const bad = new BinanceMarketDataClient({ wsBaseUrl: server.wsUrl, restBaseUrl: server.restUrl, symbols: ['ETH-USDT'], depthSpeed: '100ms' });
    const depth = await fetch(`${server.restUrl}/api/v3/depth?symbol=ETHUSDT&limit=10`);
    expect(depth.status).toBe(400);
    bad.start();
    await until(() => server.badRequests.length > 0, 5000, 'the refused upgrade');
    await bad.stop();
    expect(server.badRequests[0]).toContain('ethusdt@depth@100ms');
    expect(server.connections).toBe(0);
  });

  it('serves the live-subscribe style too (what ccxt does): SUBSCRIBE answered, then the same frames', async () => {
    const ws = new WebSocket(`${server.wsUrl}/stream/0`);
    const got: string[] = [];
    ws.on('message', (m) => got.push(String(m)));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 1 }));
    await until(() => got.length === 1, 5000, 'the error answer');
    expect(JSON.parse(got[0] as string)).toMatchObject({ error: { code: 2 }, id: 1 });
    ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@depth@0ms'], id: 2 }));
    await until(() => got.length === 3, 5000, 'the answer and frame 0');
    expect(JSON.parse(got[1] as string)).toEqual({ result: null, id: 2 });
    expect(got[2]).toBe(data.frames[0]);
    await server.paced(10_000, 10);
    await until(() => got.length === 13, 5000, 'ten more frames');
    expect(got.slice(3)).toEqual(data.frames.slice(1, 11));
    expect(server.connections).toBe(1);
    expect(server.badRequests).toHaveLength(1);
    ws.close();
  });
});
