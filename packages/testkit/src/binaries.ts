import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BinaryNotFoundError } from './errors';

/** Directories searched after PATH (sbin dirs are often missing from a non-root PATH). */
export const EXTRA_BIN_DIRS: readonly string[] = ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/usr/bin', '/sbin', '/bin'];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of an executable on PATH or in the usual system dirs, or undefined. */
export function whichBinary(name: string, pathEnv: string | undefined = process.env['PATH']): string | undefined {
  const dirs = [...(pathEnv ?? '').split(delimiter).filter((d) => d !== ''), ...EXTRA_BIN_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Like `whichBinary`, but throws a BinaryNotFoundError naming what to install. */
export function requireBinary(name: string): string {
  const found = whichBinary(name);
  if (found === undefined) throw new BinaryNotFoundError(name, EXTRA_BIN_DIRS);
  return found;
}
