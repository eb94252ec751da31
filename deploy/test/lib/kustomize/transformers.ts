import { listAt, objAt, type Json, type JsonObject } from '../json';
import type { K8sObject } from '../k8s-object';
import type { ImageSpec, LabelSpec } from './kustomization';

/** Kinds without a namespace (the ones a manifest here could contain). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
]);

export function setNamespace(objects: readonly K8sObject[], namespace: string): void {
  for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = namespace;
}

/** `labels:` without includeSelectors: metadata.labels of every object, and pod templates with includeTemplates. */
export function addLabels(objects: readonly K8sObject[], spec: LabelSpec): void {
  for (const o of objects) {
    o.metadata.labels = { ...(objAt(o.metadata, 'labels') ?? {}), ...spec.pairs };
    if (spec.includeTemplates) {
      const meta = objAt(objAt(objAt(o, 'spec'), 'template'), 'metadata');
      if (meta !== undefined) meta.labels = { ...(objAt(meta, 'labels') ?? {}), ...spec.pairs };
    }
  }
}

/** The pod spec of a workload or Pod (undefined for other kinds). */
export function podSpecOf(o: K8sObject): JsonObject | undefined {
  if (o.kind === 'Pod') return objAt(o, 'spec');
  if (o.kind === 'CronJob') return objAt(objAt(objAt(objAt(objAt(o, 'spec'), 'jobTemplate'), 'spec'), 'template'), 'spec');
  return objAt(objAt(objAt(o, 'spec'), 'template'), 'spec');
}

export function containersOf(pod: JsonObject | undefined): JsonObject[] {
  return [...listAt(pod, 'initContainers'), ...listAt(pod, 'containers')];
}

function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const colon = rest.lastIndexOf(':');
  const slash = rest.lastIndexOf('/');
  const hasTag = colon > slash;
  return {
    name: hasTag ? rest.slice(0, colon) : rest,
    ...(hasTag ? { tag: rest.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

export function setImages(objects: readonly K8sObject[], images: readonly ImageSpec[]): void {
  for (const o of objects) {
    for (const c of containersOf(podSpecOf(o))) {
      if (typeof c.image !== 'string') continue;
      const cur = splitImage(c.image);
      const spec = images.find((i) => i.name === cur.name);
      if (spec === undefined) continue;
      const name = spec.newName ?? cur.name;
      if (spec.digest !== undefined) c.image = `${name}@${spec.digest}`;
      else if (spec.newTag !== undefined) c.image = `${name}:${spec.newTag}`;
      else c.image = `${name}${cur.tag !== undefined ? `:${cur.tag}` : ''}${cur.digest !== undefined ? `@${cur.digest}` : ''}`;
    }
  }
}

/** Renames references to ConfigMaps/Secrets in pod specs (env, envFrom, volumes, projected volumes, pull secrets). */
export function renameReferences(objects: readonly K8sObject[], renamed: { ConfigMap: Map<string, string>; Secret: Map<string, string> }): void {
  const fix = (holder: JsonObject | undefined, key: string, map: Map<string, string>): void => {
    const v: Json | undefined = holder?.[key];
    if (holder !== undefined && typeof v === 'string' && map.has(v)) holder[key] = map.get(v) as string;
  };
  for (const o of objects) {
    const pod = podSpecOf(o);
    if (pod === undefined) continue;
    for (const c of containersOf(pod)) {
      for (const e of listAt(c, 'envFrom')) {
        fix(objAt(e, 'configMapRef'), 'name', renamed.ConfigMap);
        fix(objAt(e, 'secretRef'), 'name', renamed.Secret);
      }
      for (const e of listAt(c, 'env')) {
        const from = objAt(e, 'valueFrom');
        fix(objAt(from, 'configMapKeyRef'), 'name', renamed.ConfigMap);
        fix(objAt(from, 'secretKeyRef'), 'name', renamed.Secret);
      }
    }
    for (const v of listAt(pod, 'volumes')) {
      fix(objAt(v, 'configMap'), 'name', renamed.ConfigMap);
      fix(objAt(v, 'secret'), 'secretName', renamed.Secret);
      for (const s of listAt(objAt(v, 'projected'), 'sources')) {
        fix(objAt(s, 'configMap'), 'name', renamed.ConfigMap);
        fix(objAt(s, 'secret'), 'name', renamed.Secret);
      }
    }
    for (const s of listAt(pod, 'imagePullSecrets')) fix(s, 'name', renamed.Secret);
  }
}
