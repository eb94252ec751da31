import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { Secret } from '../common/credentials';

/** Binance HMAC-SHA256 request signing (rest-api.md "SIGNED endpoint security", web-socket-api.md "Signed requests"). */

/** The HMAC key as a KeyObject (the secret text is not kept as a string by the client). */
export function hmacKey(secret: Secret): KeyObject {
  return createSecretKey(Buffer.from(secret.reveal(), 'utf8'));
}

/** hex(HMAC-SHA256(secret, payload)). */
export function signPayload(key: KeyObject, payload: string): string {
  return createHmac('sha256', key).update(payload, 'utf8').digest('hex');
}

export type ParamValue = string | number | boolean;

/** `k=v&k=v` in the given order, each value percent-encoded: exactly the text that is sent AND signed. */
export function encodeParams(params: ReadonlyArray<readonly [string, ParamValue]>): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}

/**
 * REST: signature over the query string immediately followed by the body (no separator), appended as the LAST
 * parameter of the query string. Returns the full query string to send (`...&signature=<hex>`).
 */
export function signedQuery(key: KeyObject, query: string, body = ''): string {
  const signature = signPayload(key, query + body);
  return query === '' ? `signature=${signature}` : `${query}&signature=${signature}`;
}

/**
 * WebSocket API: every param except `signature`, sorted by name, joined `k=v&...` (values as sent), signed; the
 * result is the params object with `signature` added.
 */
export function signWsParams(key: KeyObject, params: Readonly<Record<string, ParamValue>>): Record<string, ParamValue> {
  const payload = wsSignaturePayload(params);
  return { ...params, signature: signPayload(key, payload) };
}

export function wsSignaturePayload(params: Readonly<Record<string, ParamValue>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
}
