/** Keys whose values are never logged, at any depth. */
export const SECRET_KEY_PATTERN = /secret|password|passphrase|api[-_]?key|token|authorization|signature|private[-_]?key|jwt/i;
/** Keys that match SECRET_KEY_PATTERN but are not secrets. */
export const NOT_SECRET_KEYS: ReadonlySet<string> = new Set(['fencingToken']);
export const REDACTED = '[REDACTED]';

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:]*)(?::([^\s/?#@]*))?@/gi;
const MAX_DEPTH = 10;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key) && !NOT_SECRET_KEYS.has(key);
}

/** `redis://:pw@host` → `redis://:***@host`, `https://user:pw@h` → `https://user:***@h`, `https://tok@h` → `https://***@h`. */
export function redactUrlCredentials(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(URL_CREDENTIALS, (_m, scheme: string, user: string, pass: string | undefined) =>
    pass === undefined ? `${scheme}***@` : `${scheme}${user}:***@`,
  );
}

/**
 * Returns a copy of `value` safe to log: values under secret keys become `[REDACTED]`, URL credentials in strings are
 * masked, Errors become plain objects (type, message, stack, code, cause, own fields) redacted the same way.
 * Cycles and depth beyond 10 are cut.
 */
export function redactValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Object]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1, seen));
    if (value instanceof Error) return redactObject(errorFields(value), depth, seen);
    if (value instanceof Map) return redactObject(Object.fromEntries(value), depth, seen);
    if (value instanceof Set) return [...value].map((v) => redactValue(v, depth + 1, seen));
    const withJson = value as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === 'function') return redactValue(withJson.toJSON(), depth + 1, seen);
    return redactObject(value as Record<string, unknown>, depth, seen);
  } finally {
    seen.delete(value);
  }
}

function redactObject(obj: Record<string, unknown>, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    out[key] = isSecretKey(key) ? REDACTED : redactValue(obj[key], depth + 1, seen);
  }
  return out;
}

function errorFields(err: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { type: err.name, message: err.message, stack: err.stack };
  for (const key of Object.keys(err)) fields[key] = (err as unknown as Record<string, unknown>)[key];
  if (err.cause !== undefined) fields.cause = err.cause;
  if (err instanceof AggregateError) fields.errors = err.errors;
  return fields;
}
