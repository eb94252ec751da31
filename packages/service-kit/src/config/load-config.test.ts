import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UDecimal } from '@arb/contracts';
import { Type } from '@sinclair/typebox';
import { ConfigError } from '../errors';
import { loadConfig, loadConfigDetailed } from './load-config';

const Schema = Type.Object(
  {
    mode: Type.Union([Type.Literal('sim'), Type.Literal('paper'), Type.Literal('live')]),
    nats: Type.Object({ url: Type.String() }),
    http: Type.Object(
      { host: Type.String({ default: '0.0.0.0' }), port: Type.Integer({ minimum: 0, maximum: 65535, default: 9100 }) },
      { default: {} },
    ),
    redis: Type.Object({ url: Type.String(), password: Type.Optional(Type.String({ minLength: 8 })) }, { default: {} }),
    detector: Type.Object(
      {
        minProfitPct: UDecimal,
        minConfidence: Type.Number({ minimum: 0, maximum: 1, default: 0.6 }),
        stalenessMs: Type.Integer({ minimum: 1, default: 1000 }),
        venues: Type.Array(Type.String(), { default: ['binance', 'okx'] }),
        enabled: Type.Boolean({ default: true }),
        pegs: Type.Record(Type.String(), UDecimal, { default: {} }),
      },
      { default: {} },
    ),
  },
  { additionalProperties: true },
);

let root: string;
let dir: string;

function write(name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'arb-config-'));
  dir = join(root, 'config');
  mkdirSync(dir);
  write(
    'default.yaml',
    [
      'mode: sim',
      'nats: { url: nats://127.0.0.1:4222 }',
      'redis:',
      '  url: redis://127.0.0.1:6379',
      'detector:',
      '  minProfitPct: 0.050',
      '  venues: [binance, okx, bybit]',
      'otherService:',
      '  anything: 1',
    ].join('\n'),
  );
  write('sim.yaml', 'detector:\n  minConfidence: 0.7\n  venues: [simA, simB]\n');
  write('live.yaml', 'mode: live\nnats:\n  url: nats://nats.prod:4222\n');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('merges default.yaml and the mode file, fills schema defaults and keeps other sections', () => {
    const loaded = loadConfigDetailed(Schema, { dir, env: {} });
    expect(loaded.mode).toBe('sim');
    expect(loaded.files).toEqual([join(dir, 'default.yaml'), join(dir, 'sim.yaml')]);
    const c = loaded.config;
    expect(c.detector).toEqual({
      minProfitPct: '0.050', // a YAML number for a decimal-string field keeps its exact digits
      minConfidence: 0.7, // from sim.yaml
      stalenessMs: 1000, // schema default
      venues: ['simA', 'simB'], // arrays replace, not merge
      enabled: true,
      pegs: {},
    });
    expect(c.http).toEqual({ host: '0.0.0.0', port: 9100 });
    expect(c.nats.url).toBe('nats://127.0.0.1:4222');
    expect((c as Record<string, unknown>).otherService).toEqual({ anything: 1 });
  });

  it('selects the mode overlay from opts, then ARB_MODE, and writes it to `mode`', () => {
    expect(loadConfig(Schema, { dir, mode: 'live', env: {} }).nats.url).toBe('nats://nats.prod:4222');
    const viaEnv = loadConfig(Schema, { dir, env: { ARB_MODE: 'live' } });
    expect(viaEnv.mode).toBe('live');
    expect(viaEnv.nats.url).toBe('nats://nats.prod:4222');
    expect(viaEnv.detector.minConfidence).toBe(0.6); // sim.yaml not applied
    // A mode without a file is fine (the schema decides whether the mode itself is valid).
    const paper = loadConfigDetailed(Schema, { dir, env: { ARB_MODE: 'paper' } });
    expect(paper.config.mode).toBe('paper');
    expect(paper.files).toHaveLength(1);
  });

  it('applies ARB__ overrides with camelCase paths and YAML-typed values', () => {
    const loaded = loadConfigDetailed(Schema, {
      dir,
      env: {
        ARB__DETECTOR__MIN_CONFIDENCE: '0.9',
        ARB__DETECTOR__STALENESS_MS: '250',
        ARB__DETECTOR__ENABLED: 'false',
        ARB__DETECTOR__VENUES: '[a, b]',
        ARB__DETECTOR__MIN_PROFIT_PCT: '0.0000001',
        // Segments become camelCase, so a map with upper-case keys is given whole as a flow mapping.
        ARB__DETECTOR__PEGS: '{ USDT: 1.0001 }',
        ARB__HTTP__PORT: '0',
        ARB__REDIS__PASSWORD: '12345678',
        ARB__NEW_SECTION__SOME_KEY: '"quoted: stays a string"',
        UNRELATED: 'x',
      },
    });
    const c = loaded.config;
    expect(c.detector.minConfidence).toBe(0.9);
    expect(c.detector.stalenessMs).toBe(250);
    expect(c.detector.enabled).toBe(false);
    expect(c.detector.venues).toEqual(['a', 'b']);
    expect(c.detector.minProfitPct).toBe('0.0000001'); // not "1e-7"
    expect(c.detector.pegs).toEqual({ USDT: '1.0001' });
    expect(c.http.port).toBe(0);
    expect(c.redis.password).toBe('12345678'); // number text → string where the schema wants a string
    expect((c as Record<string, unknown>).newSection).toEqual({ someKey: 'quoted: stays a string' });
    expect(loaded.overrides).toContain('detector.minConfidence');
    expect(loaded.overrides).toContain('detector.pegs');
  });

  it('keeps a quoted number a string (and so rejects it for a number field)', () => {
    expect(() => loadConfig(Schema, { dir, env: { ARB__HTTP__PORT: '"9100"' } })).toThrow(
      'invalid config at /http/port: Expected integer (got "9100")',
    );
  });

  it('applies ARB_CONFIG_FILE after the mode file and before env overrides', () => {
    const extra = join(root, 'extra.yaml');
    writeFileSync(extra, 'detector:\n  minConfidence: 0.8\n  stalenessMs: 500\n');
    const loaded = loadConfigDetailed(Schema, {
      dir,
      env: { ARB_CONFIG_FILE: extra, ARB__DETECTOR__STALENESS_MS: '700' },
    });
    expect(loaded.files[2]).toBe(extra);
    expect(loaded.config.detector.minConfidence).toBe(0.8);
    expect(loaded.config.detector.stalenessMs).toBe(700);
  });

  it('rejects a bad value with a message naming the path and the value', () => {
    write('sim.yaml', 'detector:\n  minConfidence: 1.5\n');
    let error: unknown;
    try {
      loadConfig(Schema, { dir, env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      'invalid config at /detector/minConfidence: Expected number to be less or equal to 1 (got 1.5)',
    );
    expect((error as ConfigError).issues).toHaveLength(1);
  });

  it('rejects a missing required value and a decimal that is not plain', () => {
    write('sim.yaml', '');
    write('default.yaml', 'mode: sim\nnats: {}\nredis: { url: r }\ndetector: { minProfitPct: "-1" }\n');
    expect(() => loadConfig(Schema, { dir, env: {} })).toThrow(/\/nats\/url: Expected required property/);
    expect(() => loadConfig(Schema, { dir, env: { ARB__NATS__URL: 'n' } })).toThrow(
      /invalid config at \/detector\/minProfitPct: Expected string to match .* \(got "-1"\)/,
    );
  });

  it('never prints a secret value in a validation error', () => {
    expect(() => loadConfig(Schema, { dir, env: { ARB__REDIS__PASSWORD: 'short' } })).toThrow(
      'invalid config at /redis/password: Expected string length greater or equal to 8 (got ***)',
    );
  });

  it('names the file on a YAML syntax error', () => {
    write('sim.yaml', 'detector:\n  minConfidence: [0.7\n');
    expect(() => loadConfig(Schema, { dir, env: {} })).toThrow(ConfigError);
    expect(() => loadConfig(Schema, { dir, env: {} })).toThrow(`invalid YAML in ${join(dir, 'sim.yaml')}`);
  });

  it('finds config/default.yaml by walking up from cwd, or uses ARB_CONFIG_DIR', () => {
    const nested = join(root, 'services', 'detector', 'dist');
    mkdirSync(nested, { recursive: true });
    expect(loadConfigDetailed(Schema, { cwd: nested, env: {} }).dir).toBe(dir);
    const other = join(root, 'elsewhere');
    mkdirSync(other);
    writeFileSync(join(other, 'default.yaml'), 'mode: sim\nnats: { url: x }\nredis: { url: y }\ndetector: { minProfitPct: "1" }\n');
    expect(loadConfigDetailed(Schema, { cwd: nested, env: { ARB_CONFIG_DIR: other } }).dir).toBe(other);
  });

  it('fails clearly when no config directory or default.yaml exists, or the mode is not a name', () => {
    const empty = mkdtempSync(join(tmpdir(), 'arb-noconfig-'));
    try {
      expect(() => loadConfig(Schema, { cwd: empty, env: {} })).toThrow(/no config\/default.yaml found/);
      expect(() => loadConfig(Schema, { dir: empty, env: {} })).toThrow(/default.yaml not found/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    expect(() => loadConfig(Schema, { dir, mode: '../etc', env: {} })).toThrow(/invalid mode/);
  });

  it('rejects an override that would replace a scalar with a mapping, and a malformed name', () => {
    expect(() => loadConfig(Schema, { dir, env: { ARB__MODE__X: '1' } })).toThrow(/mode is not a mapping/);
    expect(() => loadConfig(Schema, { dir, env: { ARB__DETECTOR____X: '1' } })).toThrow(/bad config override/);
  });
});
