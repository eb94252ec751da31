/**
 * The Dockerfile cannot be built here (no Docker engine), so what can drift is checked against the repository:
 * the pinned pnpm, the Node base image, the build steps, the non-root runtime, and the build context.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/render';

/** Instructions with continuation lines joined and comments dropped: [INSTRUCTION, arguments]. */
function instructions(text: string): Array<[string, string]> {
  const joined = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const m = /^(\S+)\s+(.*)$/.exec(l);
      return [(m?.[1] ?? l).toUpperCase(), m?.[2] ?? ''];
    });
}

const dockerfile = instructions(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { packageManager?: string; engines?: { node?: string } };
const arg = (name: string): string | undefined => dockerfile.find(([i, a]) => i === 'ARG' && a.startsWith(`${name}=`))?.[1].slice(name.length + 1);
const stages = dockerfile.filter(([i]) => i === 'FROM').map(([, a]) => a);
const runs = dockerfile.filter(([i]) => i === 'RUN').map(([, a]) => a);

test('pnpm is installed at the version package.json pins (packageManager)', () => {
  const pinned = /^pnpm@(\d+\.\d+\.\d+)/.exec(pkg.packageManager ?? '')?.[1];
  expect(pinned).toBeDefined();
  expect(arg('PNPM_VERSION')).toBe(pinned);
  expect(runs.some((r) => r.includes('npm install') && r.includes('pnpm@${PNPM_VERSION}'))).toBe(true);
});

test('every stage is node:20-slim, which satisfies engines.node', () => {
  expect(arg('NODE_IMAGE')).toBe('node:20-slim');
  for (const s of stages) expect(s).toMatch(/^(\$\{NODE_IMAGE\}|pnpm|build)(\s|$)/);
  const min = /^>=(\d+)/.exec(pkg.engines?.node ?? '')?.[1];
  expect(Number(min)).toBeLessThanOrEqual(20);
});

test('build: frozen-lockfile install, tsc -b, then production dependencies only', () => {
  const at = (re: RegExp): number => runs.findIndex((r) => re.test(r));
  const install = at(/pnpm install --frozen-lockfile --offline$/);
  const build = at(/pnpm exec tsc -b$/);
  const prod = at(/pnpm install --frozen-lockfile --offline --prod/);
  expect(at(/^pnpm fetch$/)).toBeGreaterThanOrEqual(0);
  expect([install >= 0, build > install, prod > build]).toEqual([true, true, true]);
  // The production install starts from an empty node_modules (otherwise devDependencies stay in .pnpm).
  expect(runs[prod]).toMatch(/^rm -rf node_modules /);
});

test('runtime: non-root user, no default service, entry points under /app', () => {
  const lastFrom = dockerfile.map(([i]) => i).lastIndexOf('FROM');
  const runtime = dockerfile.slice(lastFrom);
  const user = runtime.filter(([i]) => i === 'USER').map(([, a]) => a);
  expect(user).toEqual(['node']);
  expect(runtime.find(([i]) => i === 'WORKDIR')?.[1]).toBe('/app');
  expect(runtime.find(([i]) => i === 'COPY')?.[1]).toBe('--from=build /app /app');
  expect(runtime.find(([i]) => i === 'CMD')?.[1]).toContain('process.exit(2)');
});

test('the build context leaves out installs, builds, git and secrets; what the build copies first exists', () => {
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  for (const p of ['.git', '**/node_modules', '**/dist', 'k8s/overlays/*/secrets', '**/*.env', '**/*.pem']) expect(ignored).toContain(p);
  // Files the image needs must not be ignored.
  for (const p of ['config', 'packages', 'services', 'pnpm-lock.yaml', 'package.json', 'tsconfig.json']) expect(ignored).not.toContain(p);
  const firstCopy = dockerfile.find(([i, a]) => i === 'COPY' && !a.startsWith('--from'))?.[1] ?? '';
  for (const f of firstCopy.split(/\s+/).slice(0, -1)) expect([f, existsSync(join(ROOT, f))]).toEqual([f, true]);
});
