import { isPlainObject } from './yaml-source';

/**
 * Deep-merges `overlay` onto `base` into a new object: plain objects merge key by key, anything else (arrays,
 * scalars, null) in the overlay replaces the base value. Inputs are not modified.
 */
export function deepMerge(base: Record<string, unknown>, overlay: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}
