import { readFileSync } from 'node:fs';
import type { RuntimeConfig } from '@arb/contracts';
import { ConfigError, parseRuntimeConfigText, runtimeConfigIssues } from '@arb/service-kit';
import { InvalidInputError } from './errors';

/**
 * A whole RuntimeConfig from a YAML/JSON file, validated. `v` may be omitted (1); `updatedTs`/`updatedBy` may be
 * omitted and are replaced anyway (every write stamps them). InvalidInputError listing every issue otherwise.
 */
export function readDocumentFile(file: string, stamp: { updatedTs: number; updatedBy: string }): RuntimeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new InvalidInputError(`cannot read ${file}: ${(cause as Error).message}`, [], { cause });
  }
  let value: unknown;
  try {
    value = parseRuntimeConfigText(text, file);
  } catch (cause) {
    if (cause instanceof ConfigError) throw new InvalidInputError(cause.message, cause.issues, { cause });
    throw cause;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(`${file} must hold a runtime config document (a mapping)`);
  }
  const doc = { v: 1, ...value, ...stamp };
  assertValid(doc, `${file} is not a valid runtime config`);
  return doc as RuntimeConfig;
}

/** InvalidInputError (`<what>: <path>: why (got x)`) unless `doc` is a valid RuntimeConfig. */
export function assertValid(doc: unknown, what: string): void {
  const issues = runtimeConfigIssues(doc).map((i) => readableIssue(i, doc));
  if (issues.length > 0) throw new InvalidInputError(`${what}: ${issues.slice(0, 3).join('; ')}${issues.length > 3 ? ` (+${issues.length - 3} more)` : ''}`, issues);
}

/** `/variants/0/share: ...` → `variants.fast.share: ...` (JSON pointer to the dotted path the CLI takes). */
export function readableIssue(issue: string, doc: unknown): string {
  const m = /^(\/[^:]*): (.*)$/s.exec(issue);
  if (m === null) return issue;
  const segments = (m[1] as string).split('/').slice(1);
  let cur: unknown = doc;
  const out = segments.map((seg) => {
    let label = seg;
    if (Array.isArray(cur)) {
      const el: unknown = cur[Number(seg)];
      if (typeof el === 'object' && el !== null && typeof (el as { name?: unknown }).name === 'string') label = (el as { name: string }).name;
    }
    cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[seg] : undefined;
    return label;
  });
  return `${out.join('.') || '(document)'}: ${m[2]}`;
}
