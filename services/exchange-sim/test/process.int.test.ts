import WebSocket from 'ws';
import { getJson, spawnSim } from './helpers';
import type { SimProcess } from '@arb/testkit';

/** Counts level updates in a frame without a JSON parse (keeps the measuring client cheap). */
function countOccurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

async function measure(url: string, subscribe: unknown, needle: string, ms: number): Promise<number> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  let levels = 0;
  let counting = false;
  ws.on('message', (d) => {
    if (counting) levels += countOccurrences(d.toString(), needle);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  if (subscribe) ws.send(JSON.stringify(subscribe));
  await new Promise((r) => setTimeout(r, 500));
  counting = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  counting = false;
  const perSec = (levels * 1000) / (performance.now() - t0);
  await new Promise<void>((resolve) => {
    ws.once('close', () => resolve());
    ws.terminate();
  });
  return perSec;
}

describe('exchange-sim process', () => {
  let sim: SimProcess | null = null;
  afterEach(async () => {
    await sim?.proc.kill();
    sim = null;
  });

  it('prints one listening line with its ports, serves, and stops cleanly on SIGTERM', async () => {
    sim = await spawnSim({});
    expect(sim.proc.lines().filter((l) => l.includes('"event":"listening"'))).toHaveLength(1);
    expect((await getJson(`http://127.0.0.1:${sim.ports.control}/control/healthz`)).status).toBe(200);
    expect((await getJson(`http://127.0.0.1:${sim.ports.binance}/api/v3/ping`)).body).toEqual({});
    expect((await getJson(`http://127.0.0.1:${sim.ports.coinbase}/api/v3/brokerage/market/products`)).status).toBe(200);
    expect((await sim.proc.stop('SIGTERM')).code).toBe(0);
  });

  it('streams a high configured rate over one connection (Binance @depth@0ms and Coinbase level2)', async () => {
    // The rate is the total over both venues: about half of it goes to each venue's connection. The figure is printed;
    // the bound is loose on purpose (a shared, loaded test host): that the rate is made and sent, not how fast this host
    // is. Speed is the benchmark's job (npm run bench: e2e.throughput steps the sim's rate and checks it was made).
    sim = await spawnSim({ ARB__SIM__RATE__LEVEL_UPDATES_PER_SEC: '160000', ARB__SIM__JUMPS__PER_MINUTE: '0' });
    const { binance, coinbase } = sim.ports;
    const b = await measure(`ws://127.0.0.1:${binance}/stream?streams=btcusdt@depth@0ms/ethusdt@depth@0ms`, null, '["', 2000);
    const c = await measure(`ws://127.0.0.1:${coinbase}/`, { type: 'subscribe', product_ids: ['BTC-USDT', 'ETH-USDT'], channel: 'level2' }, '"side":', 2000);
    process.stdout.write(`exchange-sim throughput over one connection: binance ${Math.round(b)} level updates/s, coinbase ${Math.round(c)}/s\n`);
    expect(b).toBeGreaterThan(10000);
    expect(c).toBeGreaterThan(10000);
    expect((await sim.proc.stop('SIGINT')).code).toBe(0);
  });
});
