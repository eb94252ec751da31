import { createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/** Client-side signing written from the venues' docs with node:crypto only (independent of packages/venues). */

export function binanceSign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

export interface CdpKey {
  keyName: string;
  privateKey: KeyObject;
  publicKeyPem: string;
}

export function newCdpKey(name = `organizations/${randomBytes(8).toString('hex')}/apiKeys/${randomBytes(8).toString('hex')}`): CdpKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { keyName: name, privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export interface JwtOptions {
  uri?: string | null;
  iss?: string;
  nbf?: number;
  exp?: number;
  sub?: string;
  kid?: string;
  alg?: string;
}

/** A CDP JWT: header {alg ES256, kid, nonce}, claims {sub, iss "cdp", nbf, exp, uri?}, ES256 (r||s) signature. */
export function cdpJwt(key: CdpKey, opts: JwtOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: opts.alg ?? 'ES256', kid: opts.kid ?? key.keyName, nonce: randomBytes(16).toString('hex'), typ: 'JWT' };
  const claims: Record<string, unknown> = { sub: opts.sub ?? key.keyName, iss: opts.iss ?? 'cdp', nbf: opts.nbf ?? now, exp: opts.exp ?? now + 120 };
  if (opts.uri) claims.uri = opts.uri;
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const data = `${b64(header)}.${b64(claims)}`;
  const sig = sign('sha256', Buffer.from(data), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${data}.${sig.toString('base64url')}`;
}
