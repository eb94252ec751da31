import { createHmac, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

/** A Binance error: HTTP status + {code, msg} as the venue sends them. */
export interface BinanceError {
  status: number;
  code: number;
  msg: string;
}

export const BERR = {
  badKeyFormat: { status: 401, code: -2014, msg: 'API-key format invalid.' },
  rejectedKey: { status: 401, code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' },
  badSignature: { status: 400, code: -1022, msg: 'Signature for this request is not valid.' },
  outsideWindow: { status: 400, code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' },
  ahead: { status: 400, code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." },
  badRecvWindow: { status: 400, code: -1131, msg: 'recvWindow must be less than 60000' },
} satisfies Record<string, BinanceError>;

export const mandatory = (name: string): BinanceError => ({
  status: 400,
  code: -1102,
  msg: `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`,
});

export const illegal = (name: string, range: string): BinanceError => ({
  status: 400,
  code: -1100,
  msg: `Illegal characters found in parameter '${name}'; legal range is '${range}'.`,
});

/** hex(HMAC-SHA256(secret, payload)). */
export function hmacHex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** How an API key's requests are signed: HMAC-SHA256 with its secret, or Ed25519 / RSA with its key pair. */
export type BinanceKey = { kind: 'hmac'; secret: string } | { kind: 'ed25519' | 'rsa'; publicKey: KeyObject };

/** An account's key from its config: an HMAC secret, or a public key (PEM) of an Ed25519 or RSA key pair. */
export function binanceKey(a: { secretKey?: string | undefined; publicKey?: string | undefined }): BinanceKey {
  if (a.publicKey === undefined) return { kind: 'hmac', secret: a.secretKey ?? '' };
  const publicKey = createPublicKey(a.publicKey);
  const type = publicKey.asymmetricKeyType;
  if (type !== 'ed25519' && type !== 'rsa') throw new RangeError(`binance API keys are HMAC, Ed25519 or RSA, not ${String(type)}`);
  return { kind: type, publicKey };
}

/**
 * Checks a request signature with the key's kind: HMAC-SHA256 hex (case-insensitive), or a base64 signature of the
 * payload: Ed25519, or RSASSA-PKCS1-v1_5 with SHA-256 (Binance's documented schemes for its three key types).
 */
export function verifySignature(key: BinanceKey, payload: string, signature: string): boolean {
  if (key.kind === 'hmac') return signatureMatches(key.secret, payload, signature);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return verify(key.kind === 'ed25519' ? null : 'sha256', Buffer.from(payload), key.publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Constant-time check of a hex signature (case-insensitive, as Binance documents). */
export function signatureMatches(secret: string, payload: string, signature: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  const expected = Buffer.from(hmacHex(secret, payload), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

/**
 * Binance's timing security: accepted when `timestamp < serverTime + 1000` and
 * `serverTime - timestamp <= recvWindow` (recvWindow default 5000, at most 60000).
 * Timestamps may be in ms or µs (a 16-digit value is µs); recvWindow may have up to 3 decimals.
 */
export function checkTimestamp(timestampText: string | undefined, recvWindowText: string | undefined, serverTimeMs: number): BinanceError | null {
  if (timestampText === undefined || timestampText === '') return mandatory('timestamp');
  if (!/^[0-9]{1,16}$/.test(timestampText)) return illegal('timestamp', '^[0-9]{1,20}$');
  let ts = Number(timestampText);
  if (timestampText.length >= 16) ts /= 1000;
  let recvWindow = 5000;
  if (recvWindowText !== undefined) {
    if (!/^[0-9]{1,8}(\.[0-9]{1,3})?$/.test(recvWindowText)) return illegal('recvWindow', '^[0-9]{1,20}$');
    recvWindow = Number(recvWindowText);
    if (recvWindow > 60000) return BERR.badRecvWindow;
  }
  if (ts >= serverTimeMs + 1000) return BERR.ahead;
  if (serverTimeMs - ts > recvWindow) return BERR.outsideWindow;
  return null;
}

/**
 * The signed payload of a REST request: the raw query string immediately followed by the raw
 * body (no separator), with the `signature` parameter removed from whichever carries it.
 * Also returns the signature and every parameter (query wins over body for duplicates).
 */
export function signedPayload(rawQuery: string, rawBody: string): { payload: string; signature: string | undefined; params: Map<string, string> } {
  let signature: string | undefined;
  const strip = (raw: string): string =>
    raw
      .split('&')
      .filter((part) => {
        if (part.startsWith('signature=')) {
          signature ??= decode(part.slice('signature='.length));
          return false;
        }
        return part.length > 0;
      })
      .join('&');
  const q = strip(rawQuery);
  const b = strip(rawBody);
  const params = new Map<string, string>();
  for (const part of [...b.split('&'), ...q.split('&')]) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decode(eq < 0 ? part : part.slice(0, eq));
    params.set(k, decode(eq < 0 ? '' : part.slice(eq + 1)));
  }
  return { payload: q + b, signature, params };
}

/**
 * The signed payload of a WebSocket API request: every parameter except `signature`, sorted by
 * name, as `name=value` joined with `&` (values as sent: strings, numbers, booleans).
 */
export function wsApiPayload(params: Record<string, unknown>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
