import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { asK8sObject, groupOf, nameOf, versionOf, type K8sObject } from '../k8s-object';
import { contentHash, generate, generatorData } from './generators';
import { applyJsonPatch } from './json-patch';
import { readKustomization, UnsupportedKustomizeFeatureError, type GeneratorSpec, type PatchSpec } from './kustomization';
import { addLabels, renameReferences, setImages, setNamespace } from './transformers';

interface Item {
  obj: K8sObject;
  /** Generated ConfigMap/Secret: its name gets a content-hash suffix at the end of the build. */
  generated: boolean;
}

/**
 * Renders a kustomization directory like `kubectl kustomize <dir>` for the subset of kustomize this repository uses
 * (resources, namespace, labels, images, ConfigMap/Secret generators with create/merge/replace, RFC 6902 patches,
 * content-hash suffixes with reference renaming). Refuses what it does not implement. Objects come back in
 * resource order (kubectl sorts them by kind: compare as sets).
 */
export function renderKustomization(dir: string): K8sObject[] {
  const items = build(resolve(dir));
  const renamed = { ConfigMap: new Map<string, string>(), Secret: new Map<string, string>() };
  for (const item of items) {
    if (!item.generated) continue;
    const kind = item.obj.kind as 'ConfigMap' | 'Secret';
    const name = nameOf(item.obj);
    const hashed = `${name}-${contentHash(item.obj)}`;
    renamed[kind].set(name, hashed);
    item.obj.metadata.name = hashed;
  }
  const objects = items.map((i) => i.obj);
  renameReferences(objects, renamed);
  return objects;
}

function build(dir: string): Item[] {
  if (!existsSync(`${dir}/kustomization.yaml`)) throw new UnsupportedKustomizeFeatureError(`${dir}: no kustomization.yaml`);
  const k = readKustomization(dir, (path) => readFileSync(path, 'utf8'));
  const items: Item[] = [];
  for (const r of k.resources) {
    const path = resolve(dir, r);
    if (statSync(path).isDirectory()) items.push(...build(path));
    else items.push(...readResources(path));
  }
  return customize(items, dir, k);
}

/**
 * A kustomization's own steps on what its resources gave, in kustomize's order: its generators, then its components
 * (each one such a step on the accumulated objects: a component's generators run after the including
 * kustomization's, so its `behavior: merge` lands on top of an overlay's `replace`), then its patches, namespace,
 * labels and images.
 */
function customize(items: Item[], dir: string, k: ReturnType<typeof readKustomization>): Item[] {
  for (const g of k.configMapGenerator) applyGenerator(items, 'ConfigMap', dir, g);
  for (const g of k.secretGenerator) applyGenerator(items, 'Secret', dir, g);
  for (const c of k.components) {
    const cdir = resolve(dir, c);
    const ck = readKustomization(cdir, (path) => readFileSync(path, 'utf8'));
    for (const r of ck.resources) {
      const path = resolve(cdir, r);
      if (statSync(path).isDirectory()) items.push(...build(path));
      else items.push(...readResources(path));
    }
    customize(items, cdir, ck);
  }
  for (const p of k.patches) applyPatch(items, p, dir);
  const objects = items.map((i) => i.obj);
  if (k.namespace !== undefined) setNamespace(objects, k.namespace);
  for (const l of k.labels) addLabels(objects, l);
  if (k.images.length > 0) setImages(objects, k.images);
  return items;
}

function readResources(file: string): Item[] {
  const out: Item[] = [];
  parseAllDocuments(readFileSync(file, 'utf8')).forEach((doc, i) => {
    if (doc.errors.length > 0) throw doc.errors[0] as Error;
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    out.push({ obj: asK8sObject(value, `${file} document ${i + 1}`), generated: false });
  });
  return out;
}

function applyGenerator(items: Item[], kind: 'ConfigMap' | 'Secret', dir: string, g: GeneratorSpec): void {
  const existing = items.find((i) => i.obj.kind === kind && nameOf(i.obj) === g.name);
  if (g.behavior === 'create') {
    if (existing !== undefined) throw new UnsupportedKustomizeFeatureError(`${kind} ${g.name} already exists (use behavior merge or replace)`);
    items.push({ obj: generate(kind, dir, g), generated: true });
    return;
  }
  if (existing === undefined) throw new UnsupportedKustomizeFeatureError(`${kind} ${g.name}: behavior ${g.behavior} but no such object in the resources`);
  const fresh = generate(kind, dir, g);
  if (g.behavior === 'replace') existing.obj.data = fresh.data ?? {};
  else existing.obj.data = { ...((existing.obj.data as Record<string, string> | undefined) ?? {}), ...((fresh.data as Record<string, string> | undefined) ?? {}) };
  // Read once more so that a generator with an unreadable source fails here, not later.
  generatorData(dir, g);
}

function applyPatch(items: Item[], p: PatchSpec, dir: string): void {
  if ('delete' in p) {
    const d = p.delete;
    const i = items.findIndex(({ obj }) => obj.kind === d.kind && obj.apiVersion === d.apiVersion && nameOf(obj) === d.name);
    if (i < 0) throw new UnsupportedKustomizeFeatureError(`${dir}: $patch: delete of ${d.kind} ${d.name} matches nothing`);
    items.splice(i, 1);
    return;
  }
  const t = p.target;
  const matches = items.filter(
    ({ obj }) =>
      (t.kind === undefined || obj.kind === t.kind) &&
      (t.name === undefined || nameOf(obj) === t.name) &&
      (t.group === undefined || groupOf(obj.apiVersion) === t.group) &&
      (t.version === undefined || versionOf(obj.apiVersion) === t.version),
  );
  if (matches.length === 0) throw new UnsupportedKustomizeFeatureError(`${dir}: patch target ${JSON.stringify(t)} matches nothing`);
  for (const m of matches) applyJsonPatch(m.obj, p.ops, `${dir} patch of ${m.obj.kind}/${nameOf(m.obj)}`);
}
