import { createPrivateKey } from 'node:crypto';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { loadConfig } from '@arb/service-kit';
import { getJson, spawnSim } from './helpers';
import type { SimProcess } from '@arb/testkit';
import { binance, coinbase } from './trading-helpers';

const Credentials = Type.Object(
  {
    credentials: Type.Object({
      binance: Type.Object({ apiKey: Type.String(), secretKey: Type.String() }),
      coinbase: Type.Object({ keyName: Type.String(), privateKey: Type.String() }),
    }),
  },
  { additionalProperties: true },
);

describe('exchange-sim process: trading with the configured sim credentials', () => {
  let sim: SimProcess | null = null;
  afterEach(async () => {
    await sim?.proc.kill();
    sim = null;
  });

  it('config/sim.yaml credentials open the accounts of config/default.yaml; an order shows in control and metrics', async () => {
    const { credentials: c } = loadConfig(Credentials, { dir: join(__dirname, '..', '..', '..', 'config'), mode: 'sim', env: {} });
    sim = await spawnSim({ ARB__SIM__TRADING__BINANCE__FAULTS__SLOW_ACK_MS: '0' });
    const b = `http://127.0.0.1:${sim.ports.binance}`;
    const acct = await binance<{ balances: Array<{ asset: string; free: string }> }>(b, 'GET', '/api/v3/account', {}, { apiKey: c.binance.apiKey, secret: c.binance.secretKey });
    expect(acct.status).toBe(200);
    expect(acct.body.balances.map((x) => x.asset)).toEqual(['BTC', 'ETH', 'USDT']);
    const key = { keyName: c.coinbase.keyName, privateKey: createPrivateKey(c.coinbase.privateKey), publicKeyPem: '' };
    const cb = await coinbase<{ accounts: unknown[] }>(`http://127.0.0.1:${sim.ports.coinbase}`, key, 'GET', '/api/v3/brokerage/accounts');
    expect(cb.status).toBe(200);
    expect(cb.body.accounts).toHaveLength(3);
    const book = await getJson<{ asks: Array<[string, string]> }>(`http://127.0.0.1:${sim.ports.control}/control/book?venue=binance&symbol=BTC-USDT&depth=1`);
    const ask = (book.body.asks[0] as [string, string])[0];
    const o = await binance(b, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: '0.001', price: ask, newClientOrderId: 'a9000000000000000001-b' }, { apiKey: c.binance.apiKey, secret: c.binance.secretKey });
    expect(o.status).toBe(200);
    const orders = await getJson<{ orders: unknown[] }>(`http://127.0.0.1:${sim.ports.control}/control/orders?venue=binance`);
    expect(orders.body.orders).toHaveLength(1);
    const metrics = await (await fetch(`http://127.0.0.1:${sim.ports.control}/metrics`)).text();
    expect(metrics).toMatch(/sim_trading_orders_total\{[^}]*venue="binance"[^}]*\} 1/);
    expect((await sim.proc.stop('SIGTERM')).code).toBe(0);
  });
});
