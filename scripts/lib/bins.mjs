import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Searched after PATH: sbin dirs are often missing from a non-root PATH. */
export const EXTRA_BIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/usr/bin', '/sbin', '/bin'];

/** Absolute path of an executable on PATH (or the usual system dirs), or undefined. */
export function which(name, extraDirs = []) {
  const dirs = [...extraDirs, ...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_BIN_DIRS];
  for (const dir of dirs) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // keep looking
    }
  }
  return undefined;
}
