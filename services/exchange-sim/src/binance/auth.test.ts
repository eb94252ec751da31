import { generateKeyPairSync, sign } from 'node:crypto';
import { binanceKey, checkTimestamp, hmacHex, signatureMatches, signedPayload, verifySignature, wsApiPayload } from './auth';

// Official vectors (binance-spot-api-docs rest-api.md, "SIGNED Endpoint Examples for POST /api/v3/order").
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const FULL = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const SIG_FULL = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71';
const QUERY = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC';
const BODY = 'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const SIG_MIXED = '0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77';

describe('binance sim auth', () => {
  it('reproduces the official HMAC vectors', () => {
    expect(hmacHex(SECRET, FULL)).toBe(SIG_FULL);
    expect(hmacHex(SECRET, QUERY + BODY)).toBe(SIG_MIXED);
  });

  it('verifies as body, as query, and mixed (query + body, no separator)', () => {
    const asBody = signedPayload('', `${FULL}&signature=${SIG_FULL}`);
    expect(asBody.payload).toBe(FULL);
    expect(signatureMatches(SECRET, asBody.payload, asBody.signature ?? '')).toBe(true);
    const asQuery = signedPayload(`${FULL}&signature=${SIG_FULL}`, '');
    expect(signatureMatches(SECRET, asQuery.payload, asQuery.signature ?? '')).toBe(true);
    const mixed = signedPayload(QUERY, `${BODY}&signature=${SIG_MIXED}`);
    expect(mixed.payload).toBe(QUERY + BODY);
    expect(signatureMatches(SECRET, mixed.payload, mixed.signature ?? '')).toBe(true);
    expect(mixed.params.get('symbol')).toBe('LTCBTC');
    expect(mixed.params.get('timestamp')).toBe('1499827319559');
    // The mixed payload signed as if it had a separator is a different signature: rejected.
    expect(signatureMatches(SECRET, mixed.payload, SIG_FULL)).toBe(false);
  });

  it('signature is case-insensitive; malformed or wrong signatures fail', () => {
    expect(signatureMatches(SECRET, FULL, SIG_FULL.toUpperCase())).toBe(true);
    expect(signatureMatches(SECRET, FULL, SIG_FULL.slice(1))).toBe(false);
    expect(signatureMatches(SECRET, FULL, 'zz'.repeat(32))).toBe(false);
    expect(signatureMatches(`${SECRET}x`, FULL, SIG_FULL)).toBe(false);
  });

  it("Ed25519 and RSA API keys: a base64 signature of the payload (the venue's two asymmetric key types)", () => {
    const pem = (k: { publicKey: import('node:crypto').KeyObject }): string => k.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const ed = generateKeyPairSync('ed25519');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const edKey = binanceKey({ publicKey: pem(ed) });
    const rsaKey = binanceKey({ publicKey: pem(rsa) });
    expect([edKey.kind, rsaKey.kind]).toEqual(['ed25519', 'rsa']);
    const edSig = sign(null, Buffer.from(FULL), ed.privateKey).toString('base64');
    const rsaSig = sign('sha256', Buffer.from(FULL), rsa.privateKey).toString('base64');
    expect(verifySignature(edKey, FULL, edSig)).toBe(true);
    expect(verifySignature(rsaKey, FULL, rsaSig)).toBe(true);
    // Through the query string (URL-encoded base64) as a client sends it.
    const q = signedPayload(`${FULL}&signature=${encodeURIComponent(edSig)}`, '');
    expect(verifySignature(edKey, q.payload, q.signature ?? '')).toBe(true);
    expect(verifySignature(edKey, `${FULL}&x=1`, edSig)).toBe(false);
    expect(verifySignature(rsaKey, FULL, edSig)).toBe(false);
    expect(verifySignature(edKey, FULL, 'not base64!')).toBe(false);
    expect(verifySignature(binanceKey({ secretKey: SECRET }), FULL, SIG_FULL)).toBe(true);
    expect(() => binanceKey({ publicKey: pem(generateKeyPairSync('ec', { namedCurve: 'P-256' })) })).toThrow(/HMAC, Ed25519 or RSA/);
  });

  it('timing security: timestamp < serverTime + 1000 and serverTime - timestamp <= recvWindow', () => {
    const now = 1_700_000_000_000;
    expect(checkTimestamp(String(now), undefined, now)).toBeNull();
    expect(checkTimestamp(String(now + 999), undefined, now)).toBeNull();
    expect(checkTimestamp(String(now + 1000), undefined, now)?.code).toBe(-1021);
    expect(checkTimestamp(String(now - 5000), undefined, now)).toBeNull();
    expect(checkTimestamp(String(now - 5001), undefined, now)?.code).toBe(-1021);
    expect(checkTimestamp(String(now - 5001), '6000', now)).toBeNull();
    expect(checkTimestamp(String(now - 60000), '60000', now)).toBeNull();
    expect(checkTimestamp(String(now), '60001', now)?.code).toBe(-1131);
    expect(checkTimestamp(String(now * 1000), undefined, now)).toBeNull(); // microseconds
    expect(checkTimestamp(undefined, undefined, now)?.code).toBe(-1102);
    expect(checkTimestamp('12a', undefined, now)?.code).toBe(-1100);
  });

  it('WS API payload: params sorted by name, signature excluded', () => {
    expect(wsApiPayload({ timestamp: 1649729878532, apiKey: 'k', signature: 'x', recvWindow: 5000 })).toBe('apiKey=k&recvWindow=5000&timestamp=1649729878532');
  });
});
