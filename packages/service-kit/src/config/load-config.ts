import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from '../errors';
import { isSecretKey } from '../log/redact';
import { coerceToSchema } from './coerce';
import { applyEnvOverrides } from './env-overrides';
import { deepMerge } from './merge';
import { readYamlFile } from './yaml-source';

export interface LoadConfigOptions {
  /** Config directory; default `ARB_CONFIG_DIR`, else the nearest `config/` holding `default.yaml` from cwd upward. */
  dir?: string;
  /** Mode overlay to apply (`<dir>/<mode>.yaml`); default `ARB_MODE`, else `mode` from default.yaml, else `sim`. */
  mode?: string;
  /** Environment to read `ARB_*` variables from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Directory to resolve relative paths and start the search from; default `process.cwd()`. */
  cwd?: string;
}

export interface LoadedConfig<T> {
  config: T;
  mode: string;
  dir: string;
  /** Files applied, in order. */
  files: string[];
  /** Dotted paths set by `ARB__*` variables (names only, values may be secrets). */
  overrides: string[];
}

const MODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Loads and validates a service's configuration (fails fast with ConfigError):
 * `<dir>/default.yaml` → `<dir>/<mode>.yaml` (if present) → `ARB_CONFIG_FILE` (if set) → `ARB__A__B_C=v` variables
 * (path `a.bC`, value parsed as YAML) → numbers converted to decimal strings where the schema wants a string
 * (see coerce.ts) → schema defaults filled (`Value.Default`; give nested sections `{ default: {} }` so their own
 * defaults apply when the section is absent) → `Value.Check`. The resolved mode is written to the `mode` key.
 * Schemas should allow additional properties at the top level: default.yaml holds every service's sections.
 */
export function loadConfigDetailed<S extends TSchema>(schema: S, opts: LoadConfigOptions = {}): LoadedConfig<Static<S>> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const dir = resolveConfigDir(opts.dir ?? nonEmpty(env.ARB_CONFIG_DIR), cwd);

  const defaultFile = join(dir, 'default.yaml');
  if (!existsSync(defaultFile)) throw new ConfigError(`config file ${defaultFile} not found`);
  const files = [defaultFile];
  let merged = readYamlFile(defaultFile);

  const fileMode = typeof merged.mode === 'string' ? merged.mode : undefined;
  const mode = opts.mode ?? nonEmpty(env.ARB_MODE) ?? fileMode ?? 'sim';
  if (!MODE_PATTERN.test(mode)) throw new ConfigError(`invalid mode ${JSON.stringify(mode)}: expected [A-Za-z0-9_-]+`);
  const modeFile = join(dir, `${mode}.yaml`);
  if (existsSync(modeFile)) {
    merged = deepMerge(merged, readYamlFile(modeFile));
    files.push(modeFile);
  }
  merged.mode = mode;

  const extra = nonEmpty(env.ARB_CONFIG_FILE);
  if (extra !== undefined) {
    const extraFile = resolve(cwd, extra);
    if (!existsSync(extraFile)) throw new ConfigError(`ARB_CONFIG_FILE ${extraFile} not found`);
    merged = deepMerge(merged, readYamlFile(extraFile));
    files.push(extraFile);
  }

  const overrides = applyEnvOverrides(merged, env);
  const config = validateConfig(schema, merged);
  return { config, mode, dir, files, overrides };
}

/** loadConfigDetailed(...).config */
export function loadConfig<S extends TSchema>(schema: S, opts: LoadConfigOptions = {}): Static<S> {
  return loadConfigDetailed(schema, opts).config;
}

/** Coerces, fills defaults and checks an already merged document; throws ConfigError naming the bad path. */
export function validateConfig<S extends TSchema>(schema: S, document: unknown): Static<S> {
  const value: unknown = Value.Default(schema, coerceToSchema(schema, document));
  if (Value.Check(schema, value)) return value;
  const issues: string[] = [];
  for (const e of Value.Errors(schema, value)) {
    issues.push(`${e.path || '/'}: ${e.message} (got ${preview(e.path, e.value)})`);
    if (issues.length >= 20) break;
  }
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more: ${issues.slice(1, 4).join('; ')})` : '';
  throw new ConfigError(`invalid config at ${issues[0] ?? '/'}${more}`, issues);
}

function resolveConfigDir(explicit: string | undefined, cwd: string): string {
  if (explicit !== undefined) return resolve(cwd, explicit);
  for (let d = resolve(cwd); ; d = dirname(d)) {
    const candidate = join(d, 'config');
    if (existsSync(join(candidate, 'default.yaml'))) return candidate;
    if (dirname(d) === d) break;
  }
  throw new ConfigError(`no config/default.yaml found in ${cwd} or any parent directory; set ARB_CONFIG_DIR`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function preview(path: string, value: unknown): string {
  if (path.split('/').some(isSecretKey)) return '***';
  let s: string;
  try {
    s = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  } catch {
    s = String(value);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
