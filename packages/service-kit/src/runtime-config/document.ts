import { RuntimeConfig, validators } from '@arb/contracts';
import type { TSchema } from '@sinclair/typebox';
import { coerceToSchema } from '../config/coerce';
import { parseYaml } from '../config/yaml-source';
import { RuntimeConfigInvalidError } from './errors';

/** Name `assignVariant` returns for the share not given to any variant; no variant may use it. */
export const DEFAULT_VARIANT = 'default';

/** The document in force when the KV key is absent (never written, deleted or purged): no overrides, trading on. */
export function defaultRuntimeConfig(): RuntimeConfig {
  return { v: 1, killSwitch: false, params: {}, variants: [], updatedTs: 0, updatedBy: 'default' };
}

/**
 * Every reason `value` is not a usable RuntimeConfig: the schema (validators.RuntimeConfig), then the rules the schema
 * cannot express: variant names unique and not `default`, shares summing to at most 1. Empty when valid.
 */
export function runtimeConfigIssues(value: unknown): string[] {
  const schemaIssues = validators.RuntimeConfig.issues(value);
  if (schemaIssues.length > 0) return schemaIssues;
  const doc = value as RuntimeConfig;
  const issues: string[] = [];
  const seen = new Set<string>();
  let total = 0;
  doc.variants.forEach((variant, i) => {
    if (variant.name === DEFAULT_VARIANT) issues.push(`/variants/${i}/name: '${DEFAULT_VARIANT}' is reserved (got "${variant.name}")`);
    if (seen.has(variant.name)) issues.push(`/variants/${i}/name: duplicate variant name (got "${variant.name}")`);
    seen.add(variant.name);
    total += variant.share;
  });
  // Shares are floats: allow rounding noise (0.1 + 0.2 + 0.7 is 1.0000000000000002).
  if (total > 1 + 1e-9) issues.push(`/variants: shares sum to more than 1 (got ${Number(total.toPrecision(12))})`);
  return issues;
}

/** `value` typed as RuntimeConfig, or RuntimeConfigInvalidError listing every issue. */
export function assertRuntimeConfig(value: unknown, what = 'runtime config'): RuntimeConfig {
  const issues = runtimeConfigIssues(value);
  if (issues.length === 0) return value as RuntimeConfig;
  throw new RuntimeConfigInvalidError(`invalid ${what}: ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? ` (+${issues.length - 3} more)` : ''}`, issues, 0, value);
}

const decoder = new TextDecoder();

/** Decodes a stored value (JSON bytes): the document, or its issues (and the parsed value if it was JSON). */
export function decodeRuntimeConfig(data: Uint8Array): { ok: true; config: RuntimeConfig } | { ok: false; issues: string[]; value: unknown } {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(data));
  } catch {
    return { ok: false, issues: ['/: not valid JSON'], value: undefined };
  }
  const issues = runtimeConfigIssues(value);
  return issues.length === 0 ? { ok: true, config: value as RuntimeConfig } : { ok: false, issues, value };
}

/**
 * Parses YAML (or JSON) text for `schema` the way config files are read: a number written where the schema wants a
 * string keeps its exact source digits (`minProfitPct: 0.10` → "0.10"), a number field gets the number. Not
 * validated. Throws ConfigError on a syntax error (naming `origin`).
 */
export function parseYamlForSchema(text: string, schema: TSchema, origin: string): unknown {
  return coerceToSchema(schema, parseYaml(text, origin));
}

/** A RuntimeConfig document from YAML/JSON text (see parseYamlForSchema); validate it with assertRuntimeConfig. */
export function parseRuntimeConfigText(text: string, origin: string): unknown {
  return parseYamlForSchema(text, RuntimeConfig, origin);
}
