import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ServerStartError } from './errors';
import { ServiceProcess } from './service-process';

/** The repository root (this file is `packages/testkit/{src,dist}/…`). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

export interface BuiltServiceOptions {
  readonly name: string;
  /** The built entry, absolute or relative to the repo root, e.g. `services/executor/dist/main.js`. */
  readonly entry: string;
  /** Environment on top of sim mode and an ephemeral HTTP port (`ARB__...` config overrides, `VENUE`, ...). */
  readonly env?: Readonly<Record<string, string>>;
  /** Resolve once an output line matches (default: right after spawn). */
  readonly readyLine?: RegExp;
  readonly readyTimeoutMs?: number;
}

/**
 * Starts a built service (`node <entry>`) from the repo root with `ARB_MODE=sim`, `ARB__HTTP__PORT=0` and `env`;
 * resolves once it printed `readyLine`. Killed when it never does. Tests take the entry path (testkit never
 * imports services code).
 */
export async function startBuiltService(o: BuiltServiceOptions): Promise<ServiceProcess> {
  const entry = isAbsolute(o.entry) ? o.entry : resolve(REPO_ROOT, o.entry);
  if (!existsSync(entry)) throw new ServerStartError(`${o.name}: ${entry} not found: build the workspace first (npx tsc -b)`);
  const p = new ServiceProcess({
    name: o.name,
    entry,
    cwd: REPO_ROOT,
    env: { ARB_MODE: 'sim', ARB__HTTP__PORT: '0', ...o.env },
    readyLine: o.readyLine,
    readyTimeoutMs: o.readyTimeoutMs,
  });
  try {
    await p.start();
  } catch (err) {
    await p.stop('SIGKILL', 0);
    throw err;
  }
  return p;
}
