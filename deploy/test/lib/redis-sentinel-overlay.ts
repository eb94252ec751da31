import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestWorkspace } from './render';

/**
 * Adds the Component k8s/redis-sentinel to an overlay of the workspace, as k8s/README.md says ("Redis Sentinel"), and
 * returns the overlay's directory. Throws when the overlay already has a `components:` list.
 */
export function withRedisSentinel(ws: ManifestWorkspace, overlay: string): string {
  const dir = ws.overlay(overlay);
  const file = join(dir, 'kustomization.yaml');
  const text = readFileSync(file, 'utf8');
  if (/^components:/m.test(text)) throw new Error(`${file} already lists components`);
  writeFileSync(file, `${text.replace(/\n*$/, '\n')}\ncomponents:\n  - ../../redis-sentinel\n`);
  return dir;
}
