import { verify, type KeyObject } from 'node:crypto';

export interface JwtExpectations {
  /** Registered keys: key name → EC P-256 public key. */
  keys: ReadonlyMap<string, KeyObject>;
  nowS: number;
  leewayS: number;
  /** For REST: the allowed `uri` claims (`METHOD host/path`); null for WebSocket JWTs (no `uri`). */
  uris: readonly string[] | null;
}

export type JwtResult = { ok: true; keyName: string } | { ok: false; reason: string };

/** `iss` values the venue accepts: `cdp` (current CDP keys and SDKs) and `coinbase-cloud` (legacy cloud keys, ccxt). */
export const JWT_ISSUERS = ['cdp', 'coinbase-cloud'];

/** A `uri` claim without a scheme: clients pointed at a plain `http://` base URL (the sim) leave it in. */
const stripScheme = (uri: string): string => uri.replace(/^([A-Z]+ )https?:\/\//, '$1');

/**
 * Verifies a Coinbase CDP JWT: header `kid` = key name and `alg` matching the key's type (`ES256` for an EC P-256
 * key, IEEE P1363 r||s; `EdDSA` for an Ed25519 key), the signature checked with the key's registered public key,
 * claims `iss` one of JWT_ISSUERS, `sub` = key name, `nbf <= now + leeway`, `exp > now - leeway`, and for REST
 * `uri` (ES256 keys) or `uris` (a list, Ed25519 keys; either is accepted) naming `METHOD host/path`.
 */
export function verifyCdpJwt(token: string, exp: JwtExpectations): JwtResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed token' };
  const [h64, p64, s64] = parts as [string, string, string];
  const header = parseJson(h64);
  const claims = parseJson(p64);
  if (!header || !claims) return { ok: false, reason: 'malformed token' };
  if (header.alg !== 'ES256' && header.alg !== 'EdDSA') return { ok: false, reason: `unsupported alg ${String(header.alg)}` };
  const sub = claims.sub;
  if (typeof sub !== 'string') return { ok: false, reason: 'missing sub' };
  const key = exp.keys.get(sub);
  if (!key) return { ok: false, reason: 'unknown key' };
  if (header.kid !== undefined && header.kid !== sub) return { ok: false, reason: 'kid does not match sub' };
  const eddsa = key.asymmetricKeyType === 'ed25519';
  if (header.alg !== (eddsa ? 'EdDSA' : 'ES256')) return { ok: false, reason: `alg ${String(header.alg)} does not match the key` };
  const sig = Buffer.from(s64, 'base64url');
  if (sig.length !== 64) return { ok: false, reason: 'bad signature' };
  let good = false;
  try {
    const data = Buffer.from(`${h64}.${p64}`);
    good = eddsa ? verify(null, data, key, sig) : verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
  } catch {
    good = false;
  }
  if (!good) return { ok: false, reason: 'bad signature' };
  if (typeof claims.iss !== 'string' || !JWT_ISSUERS.includes(claims.iss)) return { ok: false, reason: 'bad iss' };
  const { nbf, exp: expiry } = claims;
  if (typeof nbf !== 'number' || typeof expiry !== 'number') return { ok: false, reason: 'missing nbf/exp' };
  if (nbf > exp.nowS + exp.leewayS) return { ok: false, reason: 'token not yet valid' };
  if (expiry <= exp.nowS - exp.leewayS) return { ok: false, reason: 'token expired' };
  if (exp.uris !== null) {
    const list = typeof claims.uri === 'string' ? [claims.uri] : Array.isArray(claims.uris) ? claims.uris.filter((u): u is string => typeof u === 'string') : [];
    if (list.length === 0) return { ok: false, reason: 'missing uri' };
    const allowed = exp.uris;
    if (!list.some((u) => allowed.includes(stripScheme(u)))) return { ok: false, reason: 'uri does not match the request' };
  }
  return { ok: true, keyName: sub };
}

function parseJson(b64: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(b64, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** `Authorization: Bearer <jwt>` → the token, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+([A-Za-z0-9_\-.]+)$/.exec(header.trim());
  return m ? (m[1] as string) : null;
}
