import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { isObject, type JsonObject } from '../json';

/** A kustomization.yaml feature this renderer does not implement: render with kubectl, or extend the renderer. */
export class UnsupportedKustomizeFeatureError extends Error {
  override readonly name = 'UnsupportedKustomizeFeatureError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type GeneratorBehavior = 'create' | 'merge' | 'replace';

export interface GeneratorSpec {
  name: string;
  behavior: GeneratorBehavior;
  literals: string[];
  files: string[];
  envs: string[];
  /** Secrets only; default Opaque. */
  type?: string;
}

export interface LabelSpec {
  pairs: Record<string, string>;
  includeSelectors: boolean;
  includeTemplates: boolean;
}

export interface ImageSpec {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

export interface JsonPatchSpec {
  /** RFC 6902 operations. */
  ops: JsonObject[];
  target: { group?: string; version?: string; kind?: string; name?: string };
}

/** The one strategic-merge form supported: `$patch: delete` of one object (apiVersion, kind, metadata.name). */
export interface DeletePatchSpec {
  delete: { apiVersion: string; kind: string; name: string };
}

export type PatchSpec = JsonPatchSpec | DeletePatchSpec;

export interface Kustomization {
  namespace?: string;
  resources: string[];
  labels: LabelSpec[];
  images: ImageSpec[];
  configMapGenerator: GeneratorSpec[];
  secretGenerator: GeneratorSpec[];
  patches: PatchSpec[];
  /** Kustomize Components (`kind: Component` directories), applied after the resources, before the generators. */
  components: string[];
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'components', 'labels', 'images', 'configMapGenerator', 'secretGenerator', 'patches']);

/**
 * Reads `<dir>/kustomization.yaml` (the subset of kustomize used under k8s/ and config/). Anything else is refused
 * with UnsupportedKustomizeFeatureError instead of being rendered wrongly.
 */
export function readKustomization(dir: string, readPatch: (path: string) => string): Kustomization {
  const file = `${dir}/kustomization.yaml`;
  const doc: unknown = parse(readFileSync(file, 'utf8'));
  if (!isObject(doc)) throw new UnsupportedKustomizeFeatureError(`${file}: not a mapping`);
  for (const key of Object.keys(doc)) {
    if (!SUPPORTED.has(key)) throw new UnsupportedKustomizeFeatureError(`${file}: field "${key}" is not supported by this renderer`);
  }
  const unsupported = (what: string): never => {
    throw new UnsupportedKustomizeFeatureError(`${file}: ${what} is not supported by this renderer`);
  };
  const strings = (v: unknown, what: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) return unsupported(`${what} (expected a list of strings)`);
    return v as string[];
  };
  const objects = (v: unknown, what: string): JsonObject[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every(isObject)) return unsupported(`${what} (expected a list of mappings)`);
    return v as JsonObject[];
  };
  const only = (o: JsonObject, keys: string[], what: string): void => {
    for (const k of Object.keys(o)) if (!keys.includes(k)) unsupported(`${what}.${k}`);
  };

  const generators = (v: unknown, what: string, secret: boolean): GeneratorSpec[] =>
    objects(v, what).map((g) => {
      only(g, ['name', 'behavior', 'literals', 'files', 'envs', ...(secret ? ['type'] : [])], what);
      const behavior = g.behavior ?? 'create';
      if (typeof g.name !== 'string') return unsupported(`${what} without a name`);
      if (behavior !== 'create' && behavior !== 'merge' && behavior !== 'replace') return unsupported(`${what}.behavior ${String(behavior)}`);
      return {
        name: g.name,
        behavior,
        literals: strings(g.literals, `${what}.literals`),
        files: strings(g.files, `${what}.files`),
        envs: strings(g.envs, `${what}.envs`),
        ...(typeof g.type === 'string' ? { type: g.type } : {}),
      };
    });

  const labels = objects(doc.labels, 'labels').map((l): LabelSpec => {
    only(l, ['pairs', 'includeSelectors', 'includeTemplates'], 'labels');
    const pairs = l.pairs;
    if (!isObject(pairs) || !Object.values(pairs).every((v) => typeof v === 'string')) return unsupported('labels.pairs (expected string values)');
    return { pairs: pairs as Record<string, string>, includeSelectors: l.includeSelectors === true, includeTemplates: l.includeTemplates === true };
  });
  if (labels.some((l) => l.includeSelectors)) unsupported('labels.includeSelectors: true');

  const images = objects(doc.images, 'images').map((i): ImageSpec => {
    only(i, ['name', 'newName', 'newTag', 'digest'], 'images');
    if (typeof i.name !== 'string') return unsupported('images entry without a name');
    const s = (k: string): string | undefined => {
      const v = i[k];
      if (v === undefined) return undefined;
      return typeof v === 'string' || typeof v === 'number' ? String(v) : unsupported(`images.${k}`);
    };
    const out: ImageSpec = { name: i.name };
    const newName = s('newName');
    const newTag = s('newTag');
    const digest = s('digest');
    if (newName !== undefined) out.newName = newName;
    if (newTag !== undefined) out.newTag = newTag;
    if (digest !== undefined) out.digest = digest;
    return out;
  });

  const patches = objects(doc.patches, 'patches').map((p): PatchSpec => {
    only(p, ['path', 'patch', 'target'], 'patches');
    const text = typeof p.path === 'string' ? readPatch(`${dir}/${p.path}`) : typeof p.patch === 'string' ? p.patch : unsupported('patches entry without path or patch');
    const ops: unknown = parse(text);
    if (isObject(ops) && ops.$patch === 'delete' && p.target === undefined) {
      const meta = ops.metadata;
      if (typeof ops.apiVersion !== 'string' || typeof ops.kind !== 'string' || !isObject(meta) || typeof meta.name !== 'string') return unsupported('a $patch: delete without apiVersion, kind and metadata.name');
      only(ops, ['$patch', 'apiVersion', 'kind', 'metadata'], 'patches ($patch: delete)');
      return { delete: { apiVersion: ops.apiVersion, kind: ops.kind, name: meta.name } };
    }
    if (!Array.isArray(ops) || !ops.every(isObject)) return unsupported('patches other than RFC 6902 operation lists and $patch: delete (strategic merge)');
    const target = p.target;
    if (!isObject(target)) return unsupported('patches without a target');
    only(target, ['group', 'version', 'kind', 'name'], 'patches.target');
    const t: JsonPatchSpec['target'] = {};
    for (const k of ['group', 'version', 'kind', 'name'] as const) {
      const v = target[k];
      if (typeof v === 'string') t[k] = v;
    }
    return { ops: ops as JsonObject[], target: t };
  });
  if (doc.kind === 'Component' && doc.namespace !== undefined) unsupported('a Component with a namespace');

  if (doc.namespace !== undefined && typeof doc.namespace !== 'string') unsupported('namespace (expected a string)');
  return {
    ...(typeof doc.namespace === 'string' ? { namespace: doc.namespace } : {}),
    resources: strings(doc.resources, 'resources'),
    labels,
    images,
    configMapGenerator: generators(doc.configMapGenerator, 'configMapGenerator', false),
    secretGenerator: generators(doc.secretGenerator, 'secretGenerator', true),
    patches,
    components: strings(doc.components, 'components'),
  };
}
