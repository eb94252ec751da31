import { createPrivateKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { CredentialsError, type Secret } from '../common/credentials';

/**
 * Coinbase Advanced Trade (CDP key) authentication: a JWT signed ES256 per request (REST: claim `uri` =
 * `METHOD host/path`, no query) or per subscribe message (WebSocket: no `uri`). Header `{alg, kid, nonce, typ}`;
 * claims `{sub, iss:"cdp", nbf, exp: nbf+120, uri?}`. ES256 signatures are randomized (never compare strings).
 */

export const JWT_TTL_SEC = 120;

/** The EC P-256 private key from its PEM text (SEC1 `EC PRIVATE KEY` or PKCS#8); `\n` escapes from env vars are undone. */
export function loadPrivateKey(pem: Secret): KeyObject {
  let text = pem.reveal().trim();
  if (!text.includes('\n') && text.includes('\\n')) text = text.replace(/\\n/g, '\n');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    // The parser's message may quote the input: keep it out of the error.
    throw new CredentialsError('coinbase private key is not a valid PEM private key');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new CredentialsError('coinbase private key must be an EC P-256 (prime256v1) key for ES256');
  }
  return key;
}

/** `POST api.coinbase.com/api/v3/brokerage/orders`: method, a space, host (with port when not default) and path. */
export function jwtUri(method: string, host: string, path: string): string {
  return `${method.toUpperCase()} ${host}${path.split('?')[0] ?? path}`;
}

export interface JwtInput {
  readonly keyName: string;
  readonly key: KeyObject;
  /** REST only. */
  readonly uri?: string;
  /** Seconds since the epoch; default now. */
  readonly nowSec?: number;
  readonly ttlSec?: number;
  /** Hex nonce; default 32 random bytes. */
  readonly nonce?: string;
}

const b64url = (v: Buffer | string): string => Buffer.from(v).toString('base64url');

export function buildJwt(input: JwtInput): string {
  const nbf = input.nowSec ?? Math.floor(Date.now() / 1000);
  const header = { alg: 'ES256', kid: input.keyName, nonce: input.nonce ?? randomBytes(32).toString('hex'), typ: 'JWT' };
  const claims: Record<string, string | number> = { sub: input.keyName, iss: 'cdp', nbf, exp: nbf + (input.ttlSec ?? JWT_TTL_SEC) };
  if (input.uri !== undefined) claims.uri = input.uri;
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key: input.key, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${b64url(signature)}`;
}

export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
}

/** Verifies an ES256 JWT's signature with a public key and decodes it; null when malformed or the signature is wrong. */
export function verifyJwt(token: string, publicKey: KeyObject): DecodedJwt | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [h, c, s] = parts as [string, string, string];
  try {
    const ok = verify('sha256', Buffer.from(`${h}.${c}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
    if (!ok) return null;
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as unknown;
    if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) return null;
    return { header: header as Record<string, unknown>, claims: claims as Record<string, unknown> };
  } catch {
    return null;
  }
}
