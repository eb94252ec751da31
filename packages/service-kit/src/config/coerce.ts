import { Kind, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { NumberLiteral, isPlainObject } from './yaml-source';

/**
 * Resolves every NumberLiteral in `value` against `schema` before validation:
 * - where the schema accepts a number (Number, Integer, numeric Literal, or a Union holding one) → the number;
 * - where it only accepts a string (String, string Literal, TemplateLiteral, Union of those) → the number's source
 *   text in plain decimal notation (`0.050` → "0.050", `1e-7` → "0.0000001"): money fields are decimal strings,
 *   and YAML authors naturally write them unquoted;
 * - anywhere else (unknown sections, Any/Unknown) → the number.
 * Nothing else is converted: a quoted "5" for a number field, or `true` for a string field, is still rejected.
 */
export function coerceToSchema(schema: TSchema | undefined, value: unknown): unknown {
  if (value instanceof NumberLiteral) {
    if (schema === undefined || acceptsNumber(schema) || !acceptsString(schema)) return value.value;
    return plainDecimal(value.source) ?? value.source;
  }
  if (schema === undefined) return strip(value);
  const kind = kindOf(schema);
  if (kind === 'Union') return coerceUnion(schema, value);
  if (Array.isArray(value)) {
    if (kind === 'Array') return value.map((v) => coerceToSchema(schema.items as TSchema, v));
    if (kind === 'Tuple') {
      const items = (schema.items ?? []) as TSchema[];
      return value.map((v, i) => coerceToSchema(items[i], v));
    }
    return strip(value);
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = coerceToSchema(propertySchema(schema, key), v);
    return out;
  }
  return value;
}

function coerceUnion(schema: TSchema, value: unknown): unknown {
  const members = (schema.anyOf ?? []) as TSchema[];
  for (const member of members) {
    const candidate = coerceToSchema(member, value);
    if (passes(member, candidate)) return candidate;
  }
  return strip(value);
}

function passes(schema: TSchema, value: unknown): boolean {
  try {
    return Value.Check(schema, Value.Default(schema, structuredClone(value)));
  } catch {
    return false; // e.g. an unresolved Ref
  }
}

function propertySchema(schema: TSchema, key: string): TSchema | undefined {
  switch (kindOf(schema)) {
    case 'Object': {
      const props = schema.properties as Record<string, TSchema> | undefined;
      const own = props?.[key];
      if (own !== undefined) return own;
      return typeof schema.additionalProperties === 'object' ? (schema.additionalProperties as TSchema) : undefined;
    }
    case 'Record': {
      const patterns = Object.values((schema.patternProperties ?? {}) as Record<string, TSchema>);
      return patterns[0];
    }
    case 'Intersect': {
      for (const member of (schema.allOf ?? []) as TSchema[]) {
        const found = propertySchema(member, key);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function kindOf(schema: TSchema): string | undefined {
  const kind: unknown = (schema as unknown as Record<symbol, unknown>)[Kind];
  return typeof kind === 'string' ? kind : undefined;
}

function acceptsNumber(schema: TSchema): boolean {
  const kind = kindOf(schema);
  if (kind === 'Number' || kind === 'Integer') return true;
  if (kind === 'Literal') return typeof schema.const === 'number';
  if (kind === 'Union') return ((schema.anyOf ?? []) as TSchema[]).some(acceptsNumber);
  return false;
}

function acceptsString(schema: TSchema): boolean {
  const kind = kindOf(schema);
  if (kind === 'String' || kind === 'TemplateLiteral') return true;
  if (kind === 'Literal') return typeof schema.const === 'string';
  if (kind === 'Union') return ((schema.anyOf ?? []) as TSchema[]).some(acceptsString);
  return false;
}

/** Deep copy with every NumberLiteral replaced by its number. */
export function strip(value: unknown): unknown {
  if (value instanceof NumberLiteral) return value.value;
  if (Array.isArray(value)) return value.map(strip);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = strip(v);
    return out;
  }
  return value;
}

/**
 * Rewrites a YAML decimal number's text in plain notation, exactly (string shifting, no float):
 * `+1.50` → "1.50", `.5` → "0.5", `1.5e3` → "1500", `1e-7` → "0.0000001". Undefined for hex/octal/inf/nan.
 */
export function plainDecimal(source: string): string | undefined {
  const m = /^([-+]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([-+]?[0-9]+))?$/.exec(source.trim());
  if (m === null) return undefined;
  const sign = m[1] === '-' ? '-' : '';
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  if (intPart === '' && fracPart === '') return undefined;
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return undefined;
  const digits = intPart + fracPart;
  let point = intPart.length + exp;
  let padded = digits;
  if (point <= 0) {
    padded = '0'.repeat(1 - point) + digits;
    point = 1;
  } else if (point > digits.length) {
    padded = digits + '0'.repeat(point - digits.length);
  }
  const int = padded.slice(0, point).replace(/^0+(?=[0-9])/, '');
  // Keep the fraction digits as written (`0.050` stays "0.050"), except padding created by the shift.
  const frac = exp === 0 ? padded.slice(point) : padded.slice(point).replace(/0+$/, '');
  const text = frac === '' ? int : `${int}.${frac}`;
  return /^0(\.0*)?$/.test(text) ? text : sign + text;
}
