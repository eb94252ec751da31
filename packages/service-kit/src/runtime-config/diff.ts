/** One difference between two documents. `path` is dotted (`params.minProfitPct`, `variants.fast.share`). */
export interface ConfigChange {
  readonly path: string;
  readonly op: 'add' | 'remove' | 'change';
  readonly before?: unknown;
  readonly after?: unknown;
}

/**
 * Differences from `before` to `after` (JSON values), leaf by leaf. Arrays whose elements are all objects with a
 * string `name` (variants) are matched by name, and a change of their order is reported as `<path>.(order)` (order
 * matters: variant shares are cumulative). Other arrays are compared by index. Top-level keys in `ignore` are skipped.
 */
export function diffConfig(before: unknown, after: unknown, ignore: readonly string[] = []): ConfigChange[] {
  const out: ConfigChange[] = [];
  walk(before, after, '', out, new Set(ignore));
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: ConfigChange[], ignore: ReadonlySet<string>): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) return void out.push({ path: path || '.', op: 'add', after: b });
  if (b === undefined) return void out.push({ path: path || '.', op: 'remove', before: a });
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      if (path === '' && ignore.has(key)) continue;
      walk(a[key], b[key], join(path, key), out, ignore);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (isNamedList(a) && isNamedList(b)) return walkNamed(a, b, path, out, ignore);
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], join(path, String(i)), out, ignore);
    return;
  }
  if (!sameJson(a, b)) out.push({ path: path || '.', op: 'change', before: a, after: b });
}

function walkNamed(a: Named[], b: Named[], path: string, out: ConfigChange[], ignore: ReadonlySet<string>): void {
  const byName = new Map(b.map((item) => [item.name, item]));
  const inA = new Set(a.map((item) => item.name));
  for (const item of a) walk(item, byName.get(item.name), join(path, item.name), out, ignore);
  for (const item of b) if (!inA.has(item.name)) walk(undefined, item, join(path, item.name), out, ignore);
  const orderA = a.map((i) => i.name).filter((n) => byName.has(n));
  const orderB = b.map((i) => i.name).filter((n) => inA.has(n));
  if (orderA.join('\u0000') !== orderB.join('\u0000')) out.push({ path: join(path, '(order)'), op: 'change', before: orderA, after: orderB });
}

type Named = Record<string, unknown> & { name: string };

function isNamedList(list: unknown[]): list is Named[] {
  return list.every((item) => isRecord(item) && typeof item.name === 'string');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Human-readable lines: `+ path: value`, `- path: value`, `~ path: before → after`. */
export function formatChanges(changes: readonly ConfigChange[]): string[] {
  return changes.map((c) => {
    if (c.op === 'add') return `+ ${c.path}: ${show(c.after)}`;
    if (c.op === 'remove') return `- ${c.path}: ${show(c.before)}`;
    return `~ ${c.path}: ${show(c.before)} → ${show(c.after)}`;
  });
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}
