import { spawnSync } from 'node:child_process';
import { accessSync, constants, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { asK8sObject, type K8sObject } from './k8s-object';
import { renderKustomization } from './kustomize';

export const ROOT = resolve(__dirname, '..', '..', '..');

/** kubectl on PATH or in the usual system dirs (it embeds kustomize), or undefined. */
export function findKubectl(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/local/bin', '/usr/bin', '/snap/bin'];
  for (const dir of dirs) {
    const file = join(dir, 'kubectl');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

export class KubectlError extends Error {
  override readonly name = 'KubectlError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** `kubectl kustomize <dir>` parsed into objects; throws KubectlError with kubectl's message when the build fails. */
export function renderWithKubectl(kubectl: string, dir: string): K8sObject[] {
  const r = spawnSync(kubectl, ['kustomize', dir], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new KubectlError(`kubectl kustomize ${dir} failed (${r.status ?? r.signal}): ${r.stderr.trim()}`);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as unknown)
    .filter((v) => v !== null && v !== undefined)
    .map((v, i) => asK8sObject(v, `kubectl output document ${i + 1}`));
}

/**
 * A scratch copy of what the overlays read (k8s/ and config/), without any local secret files, so a build sees
 * exactly the tracked manifests. `withSecrets` then writes throwaway values for every git-ignored secret file the
 * live overlay needs, derived from the tracked `*.example` templates.
 */
export class ManifestWorkspace {
  readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'arb-k8s-'));
    cpSync(join(ROOT, 'config'), join(this.dir, 'config'), { recursive: true });
    cpSync(join(ROOT, 'k8s'), join(this.dir, 'k8s'), {
      recursive: true,
      filter: (src) => !/\/secrets\/[^/]+$/.test(src) || src.endsWith('.example') || src.endsWith('.gitignore'),
    });
  }

  overlay(name: string): string {
    return join(this.dir, 'k8s', 'overlays', name);
  }

  /** Fills every `secrets/<file>.example` of an overlay into `secrets/<file>` with generated values. */
  withSecrets(overlay: string): Record<string, string> {
    const secretsDir = join(this.overlay(overlay), 'secrets');
    const written: Record<string, string> = {};
    for (const example of readdirSync(secretsDir).filter((f) => f.endsWith('.example'))) {
      const target = example.slice(0, -'.example'.length);
      const text = readFileSync(join(secretsDir, example), 'utf8');
      const filled = target.endsWith('.pem')
        ? '-----BEGIN EC PRIVATE KEY-----\nTEST0000000000000000000000000000000000000000\n-----END EC PRIVATE KEY-----\n'
        : text
            .split('\n')
            .map((line) => (/^[A-Za-z_][-._A-Za-z0-9]*=$/.test(line) ? `${line}test-${line.slice(0, -1).toLowerCase().replace(/[^a-z0-9]+/g, '-')}` : line))
            .join('\n');
      writeFileSync(join(secretsDir, target), filled);
      written[target] = filled;
    }
    return written;
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The objects of a rendered kustomization: kubectl when present (the reference), else the built-in renderer. */
export function render(dir: string): { objects: K8sObject[]; renderer: string } {
  const kubectl = findKubectl();
  return kubectl !== undefined
    ? { objects: renderWithKubectl(kubectl, dir), renderer: 'kubectl kustomize' }
    : { objects: renderKustomization(dir), renderer: 'built-in kustomize subset' };
}
