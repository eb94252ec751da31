import { RuntimeConfig } from '@arb/contracts';
import { ConfigError, parseYamlForSchema } from '@arb/service-kit';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { InvalidInputError } from './errors';
import { describeSchema, kindOf, propertiesOf } from './schema-info';

/** Fields every write stamps itself; not settable by path. */
const MANAGED = new Set(['v', 'updatedTs', 'updatedBy']);

/** A dotted path into the document with the schema of what it points at. */
export interface ConfigPath {
  readonly text: string;
  readonly segments: readonly string[];
  readonly schema: TSchema;
}

/**
 * Checks `text` (`params.minProfitPct`, `variants.fast.share`, `variants.0.params.stalenessMs`) against the
 * RuntimeConfig schema: every segment must exist there (array elements by index or by `name`).
 */
export function parsePath(text: string): ConfigPath {
  const segments = text.split('.');
  if (text === '' || segments.some((s) => s === '')) throw new InvalidInputError(`invalid path '${text}'`);
  if (MANAGED.has(segments[0] as string)) throw new InvalidInputError(`${text} is stamped on every write and cannot be set`);
  let schema: TSchema = RuntimeConfig;
  segments.forEach((seg, i) => {
    const at = segments.slice(0, i).join('.') || '(top level)';
    const kind = kindOf(schema);
    if (kind === 'Object') {
      const next = propertiesOf(schema)[seg];
      if (next === undefined) {
        const known = Object.keys(propertiesOf(schema)).filter((k) => i > 0 || !MANAGED.has(k));
        throw new InvalidInputError(`unknown path '${text}': ${at} has no '${seg}' (known: ${known.join(', ')})`);
      }
      schema = next;
    } else if (kind === 'Array') {
      schema = schema.items as TSchema;
    } else {
      throw new InvalidInputError(`unknown path '${text}': ${at} is ${describeSchema(schema)}, not an object`);
    }
  });
  return { text, segments, schema };
}

/**
 * The value `text` for `path`, typed by its schema and checked: decimal/text fields take the text exactly as
 * written, number fields a plain number, booleans true/false, objects/lists YAML or JSON. InvalidInputError naming
 * the path and the value otherwise.
 */
export function parseValue(path: ConfigPath, text: string): unknown {
  const bad = (): never => {
    throw new InvalidInputError(`invalid value '${text}' for ${path.text}: expected ${describeSchema(path.schema)}`);
  };
  let value: unknown;
  switch (kindOf(path.schema)) {
    case 'String':
      value = text;
      break;
    case 'Number':
    case 'Integer':
      if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(text)) bad();
      value = Number(text);
      break;
    case 'Boolean':
      if (text !== 'true' && text !== 'false') bad();
      value = text === 'true';
      break;
    default:
      try {
        value = parseYamlForSchema(text, path.schema, path.text);
      } catch (cause) {
        if (cause instanceof ConfigError) throw new InvalidInputError(`invalid value for ${path.text}: ${cause.message}`, [], { cause });
        throw cause;
      }
  }
  if (!Value.Check(path.schema, value)) bad();
  return value;
}

type Container = Record<string, unknown> | unknown[];

/** Parent container and key of `path` in `doc`; array elements are found by index or by `name`. */
function locate(doc: RuntimeConfig, path: ConfigPath, create: boolean): { parent: Container; key: string | number } | undefined {
  let cur: unknown = doc;
  const segs = path.segments;
  for (let i = 0; ; i++) {
    const seg = segs[i] as string;
    const at = segs.slice(0, i).join('.');
    let key: string | number;
    if (Array.isArray(cur)) {
      const byIndex = /^(0|[1-9][0-9]*)$/.test(seg) ? Number(seg) : -1;
      key = byIndex >= 0 && byIndex < cur.length ? byIndex : cur.findIndex((e) => isRecord(e) && e.name === seg);
      if (key < 0) {
        const names = cur.map((e, j) => (isRecord(e) && typeof e.name === 'string' ? e.name : String(j)));
        throw new InvalidInputError(`no element '${seg}' in ${at} (have: ${names.join(', ') || 'none'})`);
      }
    } else if (isRecord(cur)) {
      key = seg;
    } else if (cur === undefined && !create) {
      return undefined;
    } else {
      throw new InvalidInputError(`cannot reach ${path.text}: ${at} is not an object`);
    }
    if (i === segs.length - 1) return { parent: cur, key };
    const parent: Container = cur;
    const next: unknown = Array.isArray(parent) ? parent[key as number] : parent[key];
    if (next === undefined && create && !Array.isArray(parent)) parent[key] = {};
    cur = Array.isArray(parent) ? parent[key as number] : parent[key];
  }
}

/** Sets `path` to `value` in `doc` (mutates it). */
export function setPath(doc: RuntimeConfig, path: ConfigPath, value: unknown): void {
  const found = locate(doc, path, true);
  if (found === undefined) throw new InvalidInputError(`cannot reach ${path.text}`);
  const { parent, key } = found;
  if (Array.isArray(parent)) parent[key as number] = value;
  else parent[key as string] = value;
}

/** Removes `path` from `doc` (an array element is spliced out); false if it was not set. */
export function unsetPath(doc: RuntimeConfig, path: ConfigPath): boolean {
  const found = locate(doc, path, false);
  if (found === undefined) return false;
  const { parent, key } = found;
  if (Array.isArray(parent)) {
    parent.splice(key as number, 1);
    return true;
  }
  if (!(key in parent)) return false;
  delete parent[key as string];
  return true;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
