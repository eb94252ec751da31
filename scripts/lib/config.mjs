import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads `section.key` (a top-level map entry, two levels deep) or a top-level `key` from a YAML file, without a
 * YAML library (start.mjs needs only `mode`, `nats.url` and `redis.url`). Comments and quotes are stripped.
 */
export function yamlValue(file, section, key) {
  if (!existsSync(file)) return undefined;
  const clean = (v) => v.replace(/\s+#.*$/, '').trim().replace(/^(['"])(.*)\1$/, '$2');
  let inSection = key === undefined;
  const wanted = key ?? section;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*(#|$)/.test(raw)) continue;
    const top = /^([A-Za-z0-9_]+):\s*(.*)$/.exec(raw);
    if (top) {
      if (key === undefined && top[1] === wanted && top[2] !== '') return clean(top[2]);
      inSection = key !== undefined && top[1] === section;
      continue;
    }
    const nested = /^\s+([A-Za-z0-9_]+):\s*(.*)$/.exec(raw);
    if (inSection && key !== undefined && nested && nested[1] === wanted && nested[2] !== '') return clean(nested[2]);
  }
  return undefined;
}

/** Value from the env override, else config/<mode>.yaml, else config/default.yaml, else `fallback`. */
export function configValue({ configDir, mode, env = process.env }, section, key, fallback) {
  const envName = `ARB__${section.toUpperCase()}__${key.toUpperCase()}`;
  if (env[envName]) return env[envName];
  return yamlValue(join(configDir, `${mode}.yaml`), section, key) ?? yamlValue(join(configDir, 'default.yaml'), section, key) ?? fallback;
}
