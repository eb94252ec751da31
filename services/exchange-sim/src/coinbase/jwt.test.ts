import { createPublicKey } from 'node:crypto';
import { cdpJwt, newCdpKey, newEd25519Key } from '../../test/sign';
import { bearerToken, verifyCdpJwt, type JwtExpectations } from './jwt';

describe('coinbase sim JWT check', () => {
  const key = newCdpKey();
  const other = newCdpKey(key.keyName);
  const keys = new Map([[key.keyName, createPublicKey(key.publicKeyPem)]]);
  const now = Math.floor(Date.now() / 1000);
  const uri = 'POST 127.0.0.1:1234/api/v3/brokerage/orders';
  const exp = (over: Partial<JwtExpectations> = {}): JwtExpectations => ({ keys, nowS: now, leewayS: 5, uris: [uri, 'POST api.coinbase.com/api/v3/brokerage/orders'], ...over });

  it('accepts a valid ES256 token (randomized signatures verify, never compared as strings)', () => {
    const a = cdpJwt(key, { uri });
    const b = cdpJwt(key, { uri });
    expect(a).not.toBe(b);
    expect(verifyCdpJwt(a, exp())).toEqual({ ok: true, keyName: key.keyName });
    expect(verifyCdpJwt(b, exp())).toEqual({ ok: true, keyName: key.keyName });
    expect(verifyCdpJwt(cdpJwt(key, { uri: 'POST api.coinbase.com/api/v3/brokerage/orders' }), exp()).ok).toBe(true);
    expect(verifyCdpJwt(cdpJwt(key), exp({ uris: null })).ok).toBe(true);
  });

  it('accepts every variant the venue accepts: iss coinbase-cloud (legacy keys, ccxt), a `uris` list, Ed25519 keys', () => {
    expect(verifyCdpJwt(cdpJwt(key, { uri, iss: 'coinbase-cloud' }), exp())).toEqual({ ok: true, keyName: key.keyName });
    expect(verifyCdpJwt(cdpJwt(key, { uris: ['GET 127.0.0.1:1234/x', uri] }), exp()).ok).toBe(true);
    const ed = newEd25519Key();
    const withEd = new Map([...keys, [ed.keyName, createPublicKey(ed.publicKeyPem)]]);
    expect(verifyCdpJwt(cdpJwt(ed, { uris: [uri] }), exp({ keys: withEd }))).toEqual({ ok: true, keyName: ed.keyName });
    expect(verifyCdpJwt(cdpJwt(ed, { uris: [uri], alg: 'ES256' }), exp({ keys: withEd }))).toEqual({ ok: false, reason: 'alg ES256 does not match the key' });
    expect(verifyCdpJwt(cdpJwt(key, { uri, alg: 'EdDSA' }), exp())).toEqual({ ok: false, reason: 'alg EdDSA does not match the key' });
  });

  it('reads a `uri` that kept its scheme (a client pointed at the sim over plain http) as the same request', () => {
    expect(verifyCdpJwt(cdpJwt(key, { uri: 'POST http://127.0.0.1:1234/api/v3/brokerage/orders' }), exp()).ok).toBe(true);
    expect(verifyCdpJwt(cdpJwt(key, { uri: 'POST http://127.0.0.1:1234/api/v3/brokerage/orders/x' }), exp())).toEqual({ ok: false, reason: 'uri does not match the request' });
  });

  it.each([
    ['signed by another private key', () => cdpJwt(other, { uri }), 'bad signature'],
    ['unknown key name', () => cdpJwt(newCdpKey(), { uri }), 'unknown key'],
    ['wrong issuer', () => cdpJwt(key, { uri, iss: 'someone-else' }), 'bad iss'],
    ['expired', () => cdpJwt(key, { uri, nbf: now - 300, exp: now - 10 }), 'token expired'],
    ['not yet valid', () => cdpJwt(key, { uri, nbf: now + 60 }), 'token not yet valid'],
    ['uri of another path', () => cdpJwt(key, { uri: 'POST 127.0.0.1:1234/api/v3/brokerage/orders/batch_cancel' }), 'uri does not match the request'],
    ['uri with another method', () => cdpJwt(key, { uri: 'GET 127.0.0.1:1234/api/v3/brokerage/orders' }), 'uri does not match the request'],
    ['missing uri', () => cdpJwt(key), 'missing uri'],
    ['kid not the key name', () => cdpJwt(key, { uri, kid: 'x' }), 'kid does not match sub'],
    ['HS256', () => cdpJwt(key, { uri, alg: 'HS256' }), 'unsupported alg HS256'],
  ])('rejects: %s', (_name, make, reason) => {
    expect(verifyCdpJwt(make(), exp())).toEqual({ ok: false, reason });
  });

  it('rejects garbage and tampered claims', () => {
    expect(verifyCdpJwt('a.b', exp()).ok).toBe(false);
    expect(verifyCdpJwt('x.y.z', exp()).ok).toBe(false);
    const [h, , s] = cdpJwt(key, { uri }).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: key.keyName, iss: 'cdp', nbf: now, exp: now + 9999, uri })).toString('base64url');
    expect(verifyCdpJwt(`${h}.${forged}.${s}`, exp())).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('reads Bearer tokens', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
