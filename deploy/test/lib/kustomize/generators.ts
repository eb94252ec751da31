import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { JsonObject } from '../json';
import type { K8sObject } from '../k8s-object';
import { UnsupportedKustomizeFeatureError, type GeneratorSpec } from './kustomization';

/** Key/value pairs of a generator, as kustomize reads them (literals, then env files, then files). */
export function generatorData(dir: string, g: GeneratorSpec): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const literal of g.literals) {
    const eq = literal.indexOf('=');
    if (eq <= 0) throw new UnsupportedKustomizeFeatureError(`literal ${JSON.stringify(literal)} is not KEY=VALUE`);
    out.push([literal.slice(0, eq), removeQuotes(literal.slice(eq + 1))]);
  }
  for (const env of g.envs) {
    readFileSync(resolve(dir, env), 'utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .forEach((raw) => {
        const line = raw.replace(/^\s+/, '');
        if (line === '' || line.startsWith('#')) return;
        const eq = line.indexOf('=');
        if (eq < 0) throw new UnsupportedKustomizeFeatureError(`${env}: a line without "=" (value from the environment) is not supported`);
        out.push([line.slice(0, eq), line.slice(eq + 1)]);
      });
  }
  for (const file of g.files) {
    const eq = file.indexOf('=');
    const [key, path] = eq < 0 ? [basename(file), file] : [file.slice(0, eq), file.slice(eq + 1)];
    out.push([key, readFileSync(resolve(dir, path), 'utf8')]);
  }
  const seen = new Set<string>();
  for (const [k] of out) {
    if (seen.has(k)) throw new UnsupportedKustomizeFeatureError(`generator ${g.name}: key ${k} appears twice`);
    seen.add(k);
  }
  return out;
}

function removeQuotes(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1]) return s;
  return s[0] === '"' || s[0] === "'" ? s.slice(1, -1) : s;
}

/** A new ConfigMap or Secret from a generator (Secret values base64-encoded, type Opaque by default). */
export function generate(kind: 'ConfigMap' | 'Secret', dir: string, g: GeneratorSpec): K8sObject {
  const data: JsonObject = {};
  for (const [k, v] of generatorData(dir, g)) data[k] = kind === 'Secret' ? kustomizeBase64(v) : v;
  const obj: K8sObject = { apiVersion: 'v1', kind, metadata: { name: g.name } };
  if (kind === 'Secret') obj.type = g.type ?? 'Opaque';
  obj.data = data;
  return obj;
}

/** Base64 as kustomize writes Secret values: past 70 characters, broken into lines of 70, each ending in "\n". */
export function kustomizeBase64(value: string): string {
  const enc = Buffer.from(value, 'utf8').toString('base64');
  const lines = Math.floor(enc.length / 70) + 1;
  if (lines === 1) return enc;
  let out = '';
  for (let i = 0; i < enc.length; i += 70) out += `${enc.slice(i, i + 70)}\n`;
  return out;
}

/** Go's encoding/json output for a string (it escapes <, > and & and the line/paragraph separators). */
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** json.Marshal of a map[string]string: keys sorted. */
function goJsonMap(m: JsonObject): string {
  return `{${Object.keys(m)
    .sort()
    .map((k) => `${goJsonString(k)}:${goJsonString(String(m[k]))}`)
    .join(',')}}`;
}

/**
 * The name suffix kustomize gives a generated ConfigMap/Secret: sha256 of the JSON of {data, kind, name: ""[, type]}
 * (keys sorted, Go escaping; kustomize hashes with an empty name), first 10 hex digits with 0,1,3,a,e mapped to
 * g,h,k,m,t (no vowels, no lookalikes).
 */
export function contentHash(o: K8sObject): string {
  const data = o.data !== undefined && o.data !== null && typeof o.data === 'object' && !Array.isArray(o.data) ? o.data : {};
  const fields: Array<[string, string]> = [
    ['data', goJsonMap(data)],
    ['kind', goJsonString(o.kind)],
    ['name', goJsonString('')],
  ];
  if (o.kind === 'Secret') fields.push(['type', goJsonString(typeof o.type === 'string' ? o.type : 'Opaque')]);
  const json = `{${fields
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${goJsonString(k)}:${v}`)
    .join(',')}}`;
  const hex = createHash('sha256').update(json).digest('hex').slice(0, 10);
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex].map((c) => map[c] ?? c).join('');
}
