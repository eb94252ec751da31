import { readFileSync } from 'node:fs';
import { isScalar, parseDocument, visit } from 'yaml';
import { ConfigError } from '../errors';

/**
 * A number read from YAML, kept together with its source text so that a schema field that wants a decimal string
 * (`minProfitPct: 0.0000001`) receives the exact digits written, not `String(1e-7)`. Replaced by a plain number or
 * string before validation (see coerce.ts); never leaves the config loader.
 */
export class NumberLiteral {
  constructor(
    readonly value: number,
    readonly source: string,
  ) {}
}

/**
 * Parses YAML text into plain JS values (objects, arrays, strings, booleans, null) with numbers as NumberLiteral.
 * `origin` names the file (or env variable) in error messages. Throws ConfigError on a syntax error.
 */
export function parseYaml(text: string, origin: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    throw new ConfigError(`invalid YAML in ${origin}: ${first.message}`, [first.message], { cause: first });
  }
  visit(doc, {
    Scalar(key, node) {
      if (key !== 'key' && typeof node.value === 'number') {
        node.value = new NumberLiteral(node.value, node.source ?? String(node.value));
      }
    },
  });
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  return isScalar(value) ? value.value : value;
}

/** Reads and parses one YAML file; an empty file is `{}`; the top level must be a mapping. */
export function readYamlFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read config file ${path}: ${(cause as Error).message}`, [], { cause });
  }
  const value = parseYaml(text, path);
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) throw new ConfigError(`config file ${path} must hold a mapping at the top level`);
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
