import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isObject, objAt, strAt } from './json';
import { ROOT } from './render';

/**
 * Checks a container command `node <dir>/dist/main.js` against the repository: `<dir>/src/main.ts` exists, the
 * package compiles src → dist (its tsconfig.json) and the root tsconfig.json references it (so `tsc -b` builds it).
 * Returns the problems (empty when the command will find its file in the image).
 */
export function entryPointProblems(command: readonly unknown[]): string[] {
  const [node, script, ...rest] = command;
  if (node !== 'node' || typeof script !== 'string' || rest.length > 0) return [`command ${JSON.stringify(command)} is not ["node", "<dir>/dist/main.js"]`];
  const m = /^((?:services|packages)\/[a-z0-9-]+)\/dist\/main\.js$/.exec(script);
  if (m === null) return [`${script} is not <services|packages>/<name>/dist/main.js`];
  const dir = m[1] as string;
  const problems: string[] = [];
  if (!existsSync(join(ROOT, dir, 'src', 'main.ts'))) problems.push(`${script}: ${dir}/src/main.ts does not exist`);
  const tsconfigPath = join(ROOT, dir, 'tsconfig.json');
  if (!existsSync(tsconfigPath)) return [...problems, `${script}: ${dir}/tsconfig.json does not exist`];
  const tsconfig: unknown = JSON.parse(readFileSync(tsconfigPath, 'utf8'));
  const opts = isObject(tsconfig) ? objAt(tsconfig, 'compilerOptions') : undefined;
  if (strAt(opts, 'rootDir') !== 'src' || strAt(opts, 'outDir') !== 'dist') problems.push(`${script}: ${dir}/tsconfig.json does not compile src to dist`);
  const root: unknown = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8'));
  const refs = isObject(root) && Array.isArray(root.references) ? root.references.filter(isObject).map((r) => strAt(r, 'path')) : [];
  if (!refs.includes(dir)) problems.push(`${script}: the root tsconfig.json does not reference ${dir} (tsc -b would not build it)`);
  return problems;
}
