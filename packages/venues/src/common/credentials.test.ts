import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { binanceCredentialsFromEnv, coinbaseCredentialsFromEnv, CredentialsError, readSecret, Secret } from './credentials';

const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';

describe('Secret', () => {
  it('prints [REDACTED] everywhere except reveal()', () => {
    const s = new Secret(SECRET);
    expect(s.reveal()).toBe(SECRET);
    expect(String(s)).toBe('[REDACTED]');
    expect(`${s}`).toBe('[REDACTED]');
    expect(JSON.stringify({ s })).toBe('{"s":"[REDACTED]"}');
    expect(inspect(s)).toBe('[REDACTED]');
    expect(inspect({ nested: { s } }, { depth: 10, showHidden: true })).not.toContain(SECRET);
    expect(s.isEmpty).toBe(false);
  });
});

describe('readSecret', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cred-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads NAME directly', () => {
    expect(readSecret({ X: 'abc' }, 'X')?.reveal()).toBe('abc');
  });

  it('reads NAME_FILE and trims trailing whitespace (keeps inner newlines of a PEM)', () => {
    const f = join(dir, 'pem');
    writeFileSync(f, '-----BEGIN X-----\nAAA\n-----END X-----\n\n');
    expect(readSecret({ X_FILE: f }, 'X')?.reveal()).toBe('-----BEGIN X-----\nAAA\n-----END X-----');
  });

  it('null when neither is set', () => {
    expect(readSecret({}, 'X')).toBeNull();
    expect(readSecret({ X: '' }, 'X')).toBeNull();
  });

  it('rejects both set, unreadable and empty files, naming the variable but never the value', () => {
    expect(() => readSecret({ X: SECRET, X_FILE: '/nope' }, 'X')).toThrow(CredentialsError);
    try {
      readSecret({ X: SECRET, X_FILE: '/nope' }, 'X');
    } catch (e) {
      expect((e as Error).message).toContain('X_FILE');
      expect((e as Error).message).not.toContain(SECRET);
    }
    expect(() => readSecret({ X_FILE: join(dir, 'missing') }, 'X')).toThrow(/cannot read X_FILE/);
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    expect(() => readSecret({ X_FILE: empty }, 'X')).toThrow(/empty/);
  });
});

describe('credentials from env', () => {
  it('binance: <PREFIX>_API_KEY / _API_SECRET', () => {
    const c = binanceCredentialsFromEnv({ BINANCE_API_KEY: 'k', BINANCE_API_SECRET: SECRET });
    expect(c.apiKey.reveal()).toBe('k');
    expect(c.apiSecret.reveal()).toBe(SECRET);
    expect(JSON.stringify(c)).not.toContain(SECRET);
    expect(() => binanceCredentialsFromEnv({ BINANCE_API_KEY: 'k' })).toThrow(/BINANCE_API_SECRET/);
    expect(binanceCredentialsFromEnv({ B2_API_KEY: 'a', B2_API_SECRET: 'b' }, 'B2').apiSecret.reveal()).toBe('b');
  });

  it('coinbase: <PREFIX>_API_KEY_NAME / _API_PRIVATE_KEY', () => {
    const c = coinbaseCredentialsFromEnv({ COINBASE_API_KEY_NAME: 'organizations/o/apiKeys/k', COINBASE_API_PRIVATE_KEY: 'pem' });
    expect(c.keyName.reveal()).toBe('organizations/o/apiKeys/k');
    expect(inspect(c)).not.toContain('pem');
    expect(() => coinbaseCredentialsFromEnv({})).toThrow(/COINBASE_API_KEY_NAME/);
  });
});
