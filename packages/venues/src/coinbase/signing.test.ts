import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { inspect } from 'node:util';
import { CredentialsError, Secret } from '../common/credentials';
import { buildJwt, jwtUri, loadPrivateKey, verifyJwt } from './signing';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const SEC1_PEM = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const PKCS8_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const KEY_NAME = 'organizations/00000000-0000-0000-0000-000000000000/apiKeys/11111111-1111-1111-1111-111111111111';

describe('Coinbase JWT (ES256)', () => {
  it('signs a REST JWT that verifies with the public key; header and claims as documented', () => {
    const key = loadPrivateKey(new Secret(SEC1_PEM));
    const uri = jwtUri('POST', 'api.coinbase.com', '/api/v3/brokerage/orders');
    expect(uri).toBe('POST api.coinbase.com/api/v3/brokerage/orders');
    const token = buildJwt({ keyName: KEY_NAME, key, uri, nowSec: 1_700_000_000 });
    const decoded = verifyJwt(token, publicKey);
    expect(decoded).not.toBeNull();
    expect(decoded?.header).toMatchObject({ alg: 'ES256', kid: KEY_NAME, typ: 'JWT' });
    expect(decoded?.header.nonce).toMatch(/^[0-9a-f]{64}$/);
    expect(decoded?.claims).toEqual({ sub: KEY_NAME, iss: 'cdp', nbf: 1_700_000_000, exp: 1_700_000_120, uri });
    // ES256 is randomized: two tokens over the same input differ, both verify.
    const again = buildJwt({ keyName: KEY_NAME, key, uri, nowSec: 1_700_000_000, nonce: decoded?.header.nonce as string });
    expect(again).not.toBe(token);
    expect(verifyJwt(again, publicKey)).not.toBeNull();
    // The signature is raw r||s (64 bytes), as JWS requires.
    expect(Buffer.from(token.split('.')[2] as string, 'base64url')).toHaveLength(64);
  });

  it('WebSocket JWT has no uri claim; the sim host with port goes into uri', () => {
    const key = loadPrivateKey(new Secret(PKCS8_PEM));
    const ws = verifyJwt(buildJwt({ keyName: KEY_NAME, key }), createPublicKey(key));
    expect(ws?.claims.uri).toBeUndefined();
    expect(jwtUri('get', '127.0.0.1:18082', '/api/v3/brokerage/orders/historical/batch?product_ids=BTC-USD')).toBe(
      'GET 127.0.0.1:18082/api/v3/brokerage/orders/historical/batch',
    );
  });

  it('a token signed by another key, or tampered, does not verify', () => {
    const key = loadPrivateKey(new Secret(SEC1_PEM));
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    const token = buildJwt({ keyName: KEY_NAME, key, uri: 'GET api.coinbase.com/x' });
    expect(verifyJwt(token, other)).toBeNull();
    const [h, , s] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ sub: 'evil', iss: 'cdp', nbf: 0, exp: 9e9 })).toString('base64url');
    expect(verifyJwt(`${h}.${forged}.${s}`, publicKey)).toBeNull();
    expect(verifyJwt('a.b', publicKey)).toBeNull();
  });

  it('loads a PEM with escaped newlines (as env vars often carry it)', () => {
    const escaped = SEC1_PEM.trim().replace(/\n/g, '\\n');
    const key = loadPrivateKey(new Secret(escaped));
    expect(verifyJwt(buildJwt({ keyName: KEY_NAME, key }), publicKey)).not.toBeNull();
  });

  it('a bad key fails without echoing the key text; a non-P-256 key is refused', () => {
    const bad = 'not-a-pem-SECRETMATERIAL';
    try {
      loadPrivateKey(new Secret(bad));
      throw new Error('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(CredentialsError);
      expect((e as Error).message).not.toContain('SECRETMATERIAL');
      expect(inspect(e)).not.toContain('SECRETMATERIAL');
    }
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadPrivateKey(new Secret(ed))).toThrow(/P-256/);
  });
});
