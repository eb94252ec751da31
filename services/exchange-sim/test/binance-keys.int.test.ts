import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { Client, HOST } from './helpers';
import { QUIET, startTradingSim, type TradingSim } from './trading-helpers';

const ED_KEY = 'edKey0123456789abcdefABCDEF0123456789abcdefABCDEF0123456789abcd';
const RSA_KEY = 'rsaKey0123456789abcdefABCDEF0123456789abcdefABCDEF0123456789abc';

/** Binance's asymmetric API keys: requests signed with an Ed25519 or RSA private key, base64 signatures. */
describe('binance sim: Ed25519 and RSA API keys', () => {
  const ed = generateKeyPairSync('ed25519');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = (k: KeyObject): string => k.export({ type: 'spki', format: 'pem' }).toString();
  let t: TradingSim;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTradingSim({
      ...QUIET,
      accounts: {
        binance: [
          { apiKey: ED_KEY, publicKey: pem(ed.publicKey), balances: { USDT: '100' } },
          { apiKey: RSA_KEY, publicKey: pem(rsa.publicKey), balances: { USDT: '200' } },
        ],
        coinbase: [],
      },
    });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await t.sim.stop();
  });

  const signer = (kind: 'ed' | 'rsa') => (payload: string): string => (kind === 'ed' ? sign(null, Buffer.from(payload), ed.privateKey) : sign('sha256', Buffer.from(payload), rsa.privateKey)).toString('base64');
  async function account(apiKey: string, sig: (p: string) => string): Promise<{ status: number; body: Record<string, unknown> }> {
    const qs = new URLSearchParams({ timestamp: String(Date.now()) }).toString();
    const r = await fetch(`${t.binanceUrl}/api/v3/account?${qs}&signature=${encodeURIComponent(sig(qs))}`, { headers: { 'x-mbx-apikey': apiKey } });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  }

  it('REST: each key signs its requests; a signature of the other key is -1022', async () => {
    const e = await account(ED_KEY, signer('ed'));
    expect(e.status).toBe(200);
    expect(e.body.balances).toEqual([{ asset: 'USDT', free: '100.00000000', locked: '0.00000000' }]);
    expect((await account(RSA_KEY, signer('rsa'))).body.balances).toEqual([{ asset: 'USDT', free: '200.00000000', locked: '0.00000000' }]);
    expect(await account(ED_KEY, signer('rsa'))).toEqual({ status: 400, body: { code: -1022, msg: 'Signature for this request is not valid.' } });
  });

  it('WebSocket API: userDataStream.subscribe.signature with an Ed25519 key', async () => {
    const ws = new Client(`ws://${HOST}:${t.sim.ports.binance}/ws-api/v3`);
    clients.push(ws);
    await ws.opened();
    const params: Record<string, string | number> = { apiKey: ED_KEY, timestamp: Date.now() };
    const payload = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
    ws.send({ id: 'ed', method: 'userDataStream.subscribe.signature', params: { ...params, signature: signer('ed')(payload) } });
    await ws.until(() => ws.frames.length >= 1, 5000, 'the answer');
    expect(ws.json()[0]).toMatchObject({ id: 'ed', status: 200, result: { subscriptionId: 0 } });
  });
});
