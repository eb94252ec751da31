import { isObject, strAt, type JsonObject } from './json';

/** A Kubernetes object: apiVersion, kind and metadata.name at least. */
export interface K8sObject extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: JsonObject;
}

export class InvalidManifestError extends Error {
  override readonly name = 'InvalidManifestError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function asK8sObject(value: unknown, where: string): K8sObject {
  if (!isObject(value)) throw new InvalidManifestError(`${where}: not an object`);
  const metadata = value.metadata;
  if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string' || !isObject(metadata) || typeof metadata.name !== 'string') {
    throw new InvalidManifestError(`${where}: apiVersion, kind and metadata.name are required`);
  }
  return value as K8sObject;
}

export function nameOf(o: K8sObject): string {
  return strAt(o.metadata, 'name') ?? '';
}

export function namespaceOf(o: K8sObject): string | undefined {
  return strAt(o.metadata, 'namespace');
}

/** `Kind/name` (with the namespace when set), for messages. */
export function idOf(o: K8sObject): string {
  const ns = namespaceOf(o);
  return `${o.kind}/${ns === undefined ? '' : `${ns}/`}${nameOf(o)}`;
}

/** The API group of an apiVersion ('' for the core group `v1`). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}
