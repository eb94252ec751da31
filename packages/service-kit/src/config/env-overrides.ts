import { ConfigError } from '../errors';
import { parseYaml, isPlainObject } from './yaml-source';

export const ENV_OVERRIDE_PREFIX = 'ARB__';

/** `MIN_PROFIT_PCT` → `minProfitPct`; a segment that already has lowercase letters is used as written. */
export function envSegmentToKey(segment: string): string {
  if (/[a-z]/.test(segment)) return segment;
  return segment.toLowerCase().replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Parses an override value as YAML (`0.1` → number, `true` → boolean, `[a, b]` → array, `"x"` → string). */
export function parseEnvValue(name: string, raw: string): unknown {
  if (raw === '') return '';
  try {
    return parseYaml(raw, `environment variable ${name}`);
  } catch {
    // Not valid YAML (e.g. a password starting with '@' or '*'): take the text as it is.
    return raw;
  }
}

/**
 * Applies every `ARB__SECTION__SUB_KEY=value` variable onto `doc` (in name order, so a deeper path applies after its
 * parent). Returns the dotted paths that were set (never the values: they may be secrets).
 */
export function applyEnvOverrides(
  doc: Record<string, unknown>,
  env: Record<string, string | undefined>,
): string[] {
  const applied: string[] = [];
  const names = Object.keys(env)
    .filter((n) => n.startsWith(ENV_OVERRIDE_PREFIX))
    .sort();
  for (const name of names) {
    const raw = env[name];
    if (raw === undefined) continue;
    const segments = name.slice(ENV_OVERRIDE_PREFIX.length).split('__');
    if (segments.some((s) => s === '' || !/^[A-Za-z0-9_]+$/.test(s))) {
      throw new ConfigError(`bad config override variable name ${name}: expected ARB__SECTION__KEY`);
    }
    const path = segments.map(envSegmentToKey);
    setPath(doc, path, parseEnvValue(name, raw), name);
    applied.push(path.join('.'));
  }
  return applied;
}

function setPath(doc: Record<string, unknown>, path: string[], value: unknown, origin: string): void {
  let node = doc;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const next = node[key];
    if (next === undefined || next === null) {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    } else if (isPlainObject(next)) {
      node = next;
    } else {
      const at = path.slice(0, i + 1).join('.');
      throw new ConfigError(`${origin}: cannot set ${path.join('.')} because ${at} is not a mapping`);
    }
  }
  node[path[path.length - 1] as string] = value;
}
