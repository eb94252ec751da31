import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '@arb/service-kit';
import { resolveNatsReplicas } from './nats-replicas';

const ROOT = resolve(__dirname, '../../..');

describe('resolveNatsReplicas', () => {
  let empty: string;
  beforeAll(() => {
    empty = mkdtempSync(join(tmpdir(), 'arb-cli-replicas-'));
  });
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it("takes nats.replicas of the services' config, ARB__NATS__REPLICAS overriding it", () => {
    expect(resolveNatsReplicas({}, ROOT)).toBe(1);
    expect(resolveNatsReplicas({ ARB__NATS__REPLICAS: '3' }, ROOT)).toBe(3);
    expect(resolveNatsReplicas({ ARB_CONFIG_DIR: join(ROOT, 'config'), ARB__NATS__REPLICAS: '5' }, empty)).toBe(5);
  });

  it('without a config directory: ARB__NATS__REPLICAS alone, else 1', () => {
    expect(resolveNatsReplicas({}, empty)).toBe(1);
    expect(resolveNatsReplicas({ ARB__NATS__REPLICAS: '3' }, empty)).toBe(3);
  });

  it('rejects a value outside 1..5 or not an integer, with or without a config directory', () => {
    for (const cwd of [ROOT, empty]) {
      for (const bad of ['0', '6', '2.5', 'three']) {
        expect(() => resolveNatsReplicas({ ARB__NATS__REPLICAS: bad }, cwd)).toThrow(ConfigError);
      }
    }
  });
});
