import { readFileSync } from 'node:fs';

const REDACTED = '[REDACTED]';
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * A secret value (API secret, private key, API key). Its text is reachable only through `reveal()`: `String()`,
 * template literals, `JSON.stringify` and `util.inspect` / `console.log` all print `[REDACTED]`.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret text. Call only where it is consumed (signing, a request header), never for logs. */
  reveal(): string {
    return this.#value;
  }

  get isEmpty(): boolean {
    return this.#value.length === 0;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspectSymbol](): string {
    return REDACTED;
  }
}

/** A credential is missing, ambiguous or unreadable. The message names the variable, never its value. */
export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads `NAME` from the environment, or the file named by `NAME_FILE` (trailing whitespace trimmed). Null when neither
 * is set; throws CredentialsError when both are set or the file cannot be read.
 */
export function readSecret(env: Env, name: string): Secret | null {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  const hasDirect = direct !== undefined && direct !== '';
  const hasFile = file !== undefined && file !== '';
  if (hasDirect && hasFile) throw new CredentialsError(`both ${name} and ${name}_FILE are set: use one`);
  if (hasDirect) return new Secret(direct);
  if (!hasFile) return null;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new CredentialsError(`cannot read ${name}_FILE (${file})`, { cause });
  }
  const value = text.replace(/\s+$/, '');
  if (value === '') throw new CredentialsError(`${name}_FILE (${file}) is empty`);
  return new Secret(value);
}

function requireSecret(env: Env, name: string): Secret {
  const s = readSecret(env, name);
  if (s === null) throw new CredentialsError(`missing credential: set ${name} or ${name}_FILE`);
  return s;
}

/** Binance HMAC-SHA256 API key pair. */
export interface BinanceCredentials {
  readonly apiKey: Secret;
  readonly apiSecret: Secret;
}

/** Coinbase CDP API key: key name `organizations/{org}/apiKeys/{id}` and its EC P-256 private key (PEM). */
export interface CoinbaseCredentials {
  readonly keyName: Secret;
  readonly privateKey: Secret;
}

const asSecret = (v: string | Secret): Secret => (v instanceof Secret ? v : new Secret(v));

export function binanceCredentials(apiKey: string | Secret, apiSecret: string | Secret): BinanceCredentials {
  return { apiKey: asSecret(apiKey), apiSecret: asSecret(apiSecret) };
}

export function coinbaseCredentials(keyName: string | Secret, privateKey: string | Secret): CoinbaseCredentials {
  return { keyName: asSecret(keyName), privateKey: asSecret(privateKey) };
}

/** `<PREFIX>_API_KEY` and `<PREFIX>_API_SECRET` (each or its `_FILE` form). Default prefix `BINANCE`. */
export function binanceCredentialsFromEnv(env: Env = process.env, prefix = 'BINANCE'): BinanceCredentials {
  return { apiKey: requireSecret(env, `${prefix}_API_KEY`), apiSecret: requireSecret(env, `${prefix}_API_SECRET`) };
}

/** `<PREFIX>_API_KEY_NAME` and `<PREFIX>_API_PRIVATE_KEY` (each or its `_FILE` form). Default prefix `COINBASE`. */
export function coinbaseCredentialsFromEnv(env: Env = process.env, prefix = 'COINBASE'): CoinbaseCredentials {
  return { keyName: requireSecret(env, `${prefix}_API_KEY_NAME`), privateKey: requireSecret(env, `${prefix}_API_PRIVATE_KEY`) };
}
