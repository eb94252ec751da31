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

/** An Ed25519 CDP key (the newer key type: EdDSA JWTs with a `uris` list). */
export function newEd25519Key(name = randomBytes(16).toString('hex')): CdpKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { keyName: name, privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export interface JwtOptions {
  uri?: string | null;
  /** The `uris` claim (a list), as Ed25519 keys' JWTs carry it. */
  uris?: string[];
  iss?: string;
  nbf?: number;
  exp?: number;
  sub?: string;
  kid?: string;
  alg?: string;
}

/**
 * A CDP JWT: header {alg, kid, nonce}, claims {sub, iss "cdp", nbf, exp, uri? | uris?}; ES256 (r||s) for an EC key,
 * EdDSA for an Ed25519 key.
 */
export function cdpJwt(key: CdpKey, opts: JwtOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const eddsa = key.privateKey.asymmetricKeyType === 'ed25519';
  const header = { alg: opts.alg ?? (eddsa ? 'EdDSA' : 'ES256'), kid: opts.kid ?? key.keyName, nonce: randomBytes(16).toString('hex'), typ: 'JWT' };
  const claims: Record<string, unknown> = { sub: opts.sub ?? key.keyName, iss: opts.iss ?? 'cdp', nbf: opts.nbf ?? now, exp: opts.exp ?? now + 120 };
  if (opts.uri) claims.uri = opts.uri;
  if (opts.uris) claims.uris = opts.uris;
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const data = `${b64(header)}.${b64(claims)}`;
  const sig = eddsa ? sign(null, Buffer.from(data), key.privateKey) : sign('sha256', Buffer.from(data), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${data}.${sig.toString('base64url')}`;
}
