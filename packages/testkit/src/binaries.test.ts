import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinaryNotFoundError } from './errors';
import { requireBinary, whichBinary } from './binaries';

describe('whichBinary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'arb-testkit-bin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds an executable on the given PATH, ignoring non-executable files', () => {
    writeFileSync(join(dir, 'tool-x'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(dir, 'tool-y'), 'data', { mode: 0o644 });
    expect(whichBinary('tool-x', dir)).toBe(join(dir, 'tool-x'));
    expect(whichBinary('tool-y', dir)).toBeUndefined();
  });

  it('requireBinary names what to install', () => {
    expect(() => requireBinary('arb-no-such-binary-zz')).toThrow(BinaryNotFoundError);
    expect(() => requireBinary('arb-no-such-binary-zz')).toThrow(/apt-get install -y arb-no-such-binary-zz/);
  });
});
