import { ConfigError } from '../errors';
import {
  assertRuntimeConfig,
  decodeRuntimeConfig,
  defaultRuntimeConfig,
  parseRuntimeConfigText,
  runtimeConfigIssues,
} from './document';
import { RuntimeConfigInvalidError } from './errors';

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

describe('runtime config documents', () => {
  it('has a valid default document', () => {
    expect(defaultRuntimeConfig()).toEqual({ v: 1, killSwitch: false, params: {}, variants: [], updatedTs: 0, updatedBy: 'default' });
    expect(runtimeConfigIssues(defaultRuntimeConfig())).toEqual([]);
  });

  it('reports schema issues with path and value', () => {
    const bad = { ...defaultRuntimeConfig(), params: { minProfitPct: '1e-3' } };
    const issues = runtimeConfigIssues(bad);
    expect(issues[0]).toMatch(/^\/params\/minProfitPct: .*\(got "1e-3"\)$/);
    expect(() => assertRuntimeConfig(bad)).toThrow(RuntimeConfigInvalidError);
  });

  it('rejects duplicate, reserved variant names and shares above 1, but tolerates float noise', () => {
    const v = (name: string, share: number) => ({ name, share, params: {} });
    const base = defaultRuntimeConfig();
    expect(runtimeConfigIssues({ ...base, variants: [v('a', 0.1), v('a', 0.1)] })).toEqual([
      '/variants/1/name: duplicate variant name (got "a")',
    ]);
    expect(runtimeConfigIssues({ ...base, variants: [v('default', 0.1)] })[0]).toMatch(/reserved/);
    expect(runtimeConfigIssues({ ...base, variants: [v('a', 0.6), v('b', 0.5)] })).toEqual(['/variants: shares sum to more than 1 (got 1.1)']);
    expect(runtimeConfigIssues({ ...base, variants: [v('a', 0.1), v('b', 0.2), v('c', 0.7)] })).toEqual([]);
  });

  it('decodes stored bytes: valid, invalid JSON, invalid document', () => {
    expect(decodeRuntimeConfig(enc(defaultRuntimeConfig()))).toEqual({ ok: true, config: defaultRuntimeConfig() });
    expect(decodeRuntimeConfig(enc('{oops'))).toEqual({ ok: false, issues: ['/: not valid JSON'], value: undefined });
    const r = decodeRuntimeConfig(enc({ v: 2 }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.value).toEqual({ v: 2 });
  });

  it('parses YAML keeping the exact digits of decimal fields and numbers for number fields', () => {
    const doc = parseRuntimeConfigText(
      [
        'v: 1',
        'killSwitch: false',
        'params:',
        '  minProfitPct: 0.10',
        '  minProfitUsd: 1e-7',
        '  minConfidence: 0.75',
        '  stalenessMs: 900',
        'variants:',
        '  - { name: fast, share: 0.25, params: { riskLimitPerTrade: 250.50 } }',
        'updatedTs: 0',
        'updatedBy: me',
      ].join('\n'),
      'test.yaml',
    );
    expect(doc).toEqual({
      v: 1,
      killSwitch: false,
      params: { minProfitPct: '0.10', minProfitUsd: '0.0000001', minConfidence: 0.75, stalenessMs: 900 },
      variants: [{ name: 'fast', share: 0.25, params: { riskLimitPerTrade: '250.50' } }],
      updatedTs: 0,
      updatedBy: 'me',
    });
    expect(runtimeConfigIssues(doc)).toEqual([]);
  });

  it('parses JSON text too, and names the file on a syntax error', () => {
    expect(parseRuntimeConfigText('{"v":1,"params":{"minProfitPct":"0.2"}}', 'x.json')).toEqual({ v: 1, params: { minProfitPct: '0.2' } });
    expect(() => parseRuntimeConfigText('a: [1,', 'broken.yaml')).toThrow(ConfigError);
    expect(() => parseRuntimeConfigText('a: [1,', 'broken.yaml')).toThrow(/broken\.yaml/);
  });
});
