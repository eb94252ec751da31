import { isObject, type Json, type JsonObject } from '../json';
import { UnsupportedKustomizeFeatureError } from './kustomization';

export class JsonPatchError extends Error {
  override readonly name = 'JsonPatchError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Applies RFC 6902 `add`, `replace` and `remove` operations in place (what the k8s overlays use). */
export function applyJsonPatch(doc: JsonObject, ops: readonly JsonObject[], where: string): void {
  for (const op of ops) {
    const kind = op.op;
    const path = op.path;
    if (typeof path !== 'string') throw new JsonPatchError(`${where}: operation without a path`);
    const tokens = pointer(path);
    const last = tokens.pop();
    if (last === undefined) throw new JsonPatchError(`${where}: cannot patch the document root`);
    let parent: Json = doc;
    for (const t of tokens) {
      const next: Json | undefined = Array.isArray(parent) ? parent[Number(t)] : isObject(parent) ? parent[t] : undefined;
      if (next === undefined || next === null || typeof next !== 'object') throw new JsonPatchError(`${where}: path ${path} does not exist`);
      parent = next;
    }
    const value = op.value === undefined ? undefined : (JSON.parse(JSON.stringify(op.value)) as Json);
    if (kind === 'add' || kind === 'replace') {
      if (value === undefined) throw new JsonPatchError(`${where}: ${kind} ${path} without a value`);
      if (Array.isArray(parent)) {
        const index = last === '-' ? parent.length : Number(last);
        if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new JsonPatchError(`${where}: bad index in ${path}`);
        if (kind === 'add') parent.splice(index, 0, value);
        else parent[index] = value;
      } else if (isObject(parent)) {
        if (kind === 'replace' && !(last in parent)) throw new JsonPatchError(`${where}: replace of missing ${path}`);
        parent[last] = value;
      }
    } else if (kind === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else if (isObject(parent)) {
        if (!(last in parent)) throw new JsonPatchError(`${where}: remove of missing ${path}`);
        delete parent[last];
      }
    } else {
      throw new UnsupportedKustomizeFeatureError(`${where}: JSON patch op ${String(kind)} is not supported by this renderer`);
    }
  }
}
