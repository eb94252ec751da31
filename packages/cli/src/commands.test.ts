import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeConfig } from '@arb/contracts';
import { defaultRuntimeConfig } from '@arb/service-kit';
import { parseCli } from './args';
import { prepare, type Action } from './commands';
import { readableIssue } from './document-file';
import { InvalidInputError, UsageError } from './errors';

const by = 'tester';

function act(...argv: string[]): Action {
  const { command } = parseCli(argv);
  if (command.kind === 'help') throw new Error('help');
  return prepare(command, by, 1_700_000_000_000);
}

function run(argv: string[], base: RuntimeConfig = defaultRuntimeConfig()): RuntimeConfig {
  const a = act(...argv);
  if (a.kind !== 'mutate') throw new Error(`not a mutation: ${a.kind}`);
  return a.mutate(structuredClone(base));
}

describe('argument parsing', () => {
  it('parses commands and options', () => {
    expect(parseCli(['--nats', 'nats://h:1', '--json', 'set', 'params.minProfitPct', '0.1'])).toEqual({
      options: { nats: 'nats://h:1', json: true, by: undefined, dryRun: false, timeoutMs: 5_000 },
      command: { kind: 'set', path: 'params.minProfitPct', value: '0.1' },
    });
    expect(parseCli(['kill', 'on', '--reason', 'outage']).command).toEqual({ kind: 'kill', on: true, reason: 'outage' });
    expect(act('provision')).toEqual({ kind: 'provision' });
    expect(() => parseCli(['provision', 'extra'])).toThrow(/usage: arb-config provision/);
    expect(parseCli(['variants', 'set', 'a', '0.5', '--param', 'x=1', '--param', 'y=2']).command).toMatchObject({ params: ['x=1', 'y=2'] });
    expect(parseCli(['apply', 'f.yaml', '--revision', '12']).command).toEqual({ kind: 'apply', file: 'f.yaml', revision: 12 });
    expect(parseCli([]).command).toEqual({ kind: 'help' });
    expect(parseCli(['show', '-h']).command).toEqual({ kind: 'help' });
  });

  it('rejects malformed command lines', () => {
    for (const argv of [
      ['frob'],
      ['set', 'params.minProfitPct'],
      ['show', 'extra'],
      ['kill', 'maybe'],
      ['kill', 'off', '--reason', 'x'],
      ['set', 'a', 'b', '--reason', 'x'],
      ['apply', 'f', '--revision', '-1'],
      ['--bogus', 'show'],
      ['--timeout', '0', 'show'],
      ['variants', 'list'],
    ]) {
      expect(() => parseCli(argv)).toThrow(UsageError);
    }
  });
});

describe('commands as document changes', () => {
  it('set / unset', () => {
    expect(run(['set', 'params.minProfitPct', '0.10']).params).toEqual({ minProfitPct: '0.10' });
    expect(run(['unset', 'params.minProfitPct'], { ...defaultRuntimeConfig(), params: { minProfitPct: '1' } }).params).toEqual({});
  });

  it('validates values before connecting (prepare throws)', () => {
    expect(() => act('set', 'params.minProfitPct', 'abc')).toThrow(InvalidInputError);
    expect(() => act('set', 'params.nope', '1')).toThrow(InvalidInputError);
    expect(() => act('variants', 'set', 'Bad Name', '0.1')).toThrow(/invalid value 'Bad Name' for variants.name/);
    expect(() => act('variants', 'set', 'a', '1.5')).toThrow(/invalid value '1.5' for variants.a.share/);
    expect(() => act('variants', 'set', 'a', '0.5', '--param', 'nope=1')).toThrow(/unknown param 'nope'/);
    expect(() => act('variants', 'set', 'a', '0.5', '--param', 'minConfidence=2')).toThrow(/variants.a.params.minConfidence/);
    expect(() => act('variants', 'set', 'a', '0.5', '--param', 'noequals')).toThrow(/key=value/);
  });

  it('detection parameter groups: set field by field, validated against their ranges before anything is written', () => {
    const a = run(['set', 'params.confidence.newEdgeScore', '0.75']);
    expect(a.params).toEqual({ confidence: { newEdgeScore: 0.75 } });
    const b = run(['set', 'params.confidence.flickerPenalty', '0.2'], a);
    expect(b.params).toEqual({ confidence: { newEdgeScore: 0.75, flickerPenalty: 0.2 } });
    expect(run(['set', 'params.marketability', '{edgeShare: 0.3, maxLegBps: 5}']).params).toEqual({ marketability: { edgeShare: 0.3, maxLegBps: 5 } });
    expect(() => act('set', 'params.confidence.newEdgeScore', '1.5')).toThrow(/params.confidence.newEdgeScore/);
    expect(() => act('set', 'params.volatility.priorWeightMs', '0')).toThrow(/params.volatility.priorWeightMs/);
    expect(() => act('set', 'params.marketability.lastLevelShare', '0')).toThrow(InvalidInputError);
    expect(() => act('set', 'params.confidence.volReferenceBps', '5')).toThrow(/unknown path/);
    const v = run(['variants', 'set', 'strict', '0.2', '--param', 'confidence.flickerPenalty=0.3', '--param', 'edges.flickerGapMs=250']);
    expect(v.variants[0]?.params).toEqual({ confidence: { flickerPenalty: 0.3 }, edges: { flickerGapMs: 250 } });
    const w = run(['variants', 'set', 'strict', '0.2', '--param', 'confidence.flickerPenalty='], v);
    expect(w.variants[0]?.params).toEqual({ edges: { flickerGapMs: 250 } });
    expect(() => act('variants', 'set', 'a', '0.5', '--param', 'risk.sigmas=-1')).toThrow(/variants.a.params.risk.sigmas/);
    expect(() => act('variants', 'set', 'a', '0.5', '--param', 'risk.bogus=1')).toThrow(/unknown path/);
  });

  it('validates the whole resulting document (required fields, shares)', () => {
    expect(() => run(['unset', 'killSwitch'])).toThrow(/killSwitch: Expected required property/);
    const withA = run(['variants', 'set', 'a', '0.6']);
    expect(() => run(['variants', 'set', 'b', '0.5'], withA)).toThrow(/variants: shares sum to more than 1 \(got 1.1\)/);
  });

  it('kill on/off', () => {
    const on = run(['kill', 'on', '--reason', 'venue down']);
    expect(on).toMatchObject({ killSwitch: true, killReason: 'venue down' });
    expect(run(['kill', 'on']).killReason).toBe('kill switch set by tester');
    const off = run(['kill', 'off'], on);
    expect(off.killSwitch).toBe(false);
    expect(off).not.toHaveProperty('killReason');
  });

  it('variants set merges params, --clear-params starts over, key= removes; variants rm', () => {
    const a = run(['variants', 'set', 'fast', '0.2', '--param', 'minProfitPct=0.20', '--param', 'stalenessMs=500']);
    expect(a.variants).toEqual([{ name: 'fast', share: 0.2, params: { minProfitPct: '0.20', stalenessMs: 500 } }]);
    const b = run(['variants', 'set', 'fast', '0.3', '--param', 'stalenessMs=', '--param', 'minConfidence=0.8'], a);
    expect(b.variants).toEqual([{ name: 'fast', share: 0.3, params: { minProfitPct: '0.20', minConfidence: 0.8 } }]);
    const c = run(['variants', 'set', 'fast', '0.3', '--clear-params'], b);
    expect(c.variants[0]?.params).toEqual({});
    const d = run(['variants', 'set', 'slow', '0.1'], c);
    expect(d.variants.map((v) => v.name)).toEqual(['fast', 'slow']);
    expect(run(['variants', 'rm', 'fast'], d).variants.map((v) => v.name)).toEqual(['slow']);
    expect(() => run(['variants', 'rm', 'nope'], d)).toThrow(/no variant named 'nope' \(have: fast, slow\)/);
  });
});

describe('document files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'arb-config-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads YAML with exact decimals, fills v and stamps', () => {
    const f = join(dir, 'ok.yaml');
    writeFileSync(f, 'killSwitch: false\nparams: { minProfitPct: 0.050 }\nvariants: []\nupdatedBy: ignored\n');
    const a = act('apply', f);
    expect(a).toEqual({
      kind: 'apply',
      revision: undefined,
      doc: { v: 1, killSwitch: false, params: { minProfitPct: '0.050' }, variants: [], updatedTs: 1_700_000_000_000, updatedBy: by },
    });
  });

  it('rejects invalid documents listing readable paths', () => {
    const f = join(dir, 'bad.json');
    writeFileSync(f, JSON.stringify({ killSwitch: false, params: {}, variants: [{ name: 'x', share: 2, params: {} }] }));
    expect(() => act('diff', f)).toThrow(/bad.json is not a valid runtime config: variants.x.share: Expected number to be less or equal to 1/);
    writeFileSync(f, '[1, 2]');
    expect(() => act('apply', f)).toThrow(/must hold a runtime config document/);
    expect(() => act('apply', join(dir, 'missing.yaml'))).toThrow(/cannot read/);
  });

  it('maps JSON pointer issues to dotted paths, variants by name', () => {
    const d = { variants: [{ name: 'fast', share: 2 }] };
    expect(readableIssue('/variants/0/share: too big (got 2)', d)).toBe('variants.fast.share: too big (got 2)');
    expect(readableIssue('/params/x: bad', {})).toBe('params.x: bad');
    expect(readableIssue('no path here', {})).toBe('no path here');
  });
});
