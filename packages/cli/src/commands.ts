import { TradingParams, Variant, type RuntimeConfig } from '@arb/contracts';
import type { TSchema } from '@sinclair/typebox';
import type { Command } from './args';
import { readDocumentFile, assertValid } from './document-file';
import { InvalidInputError } from './errors';
import { parsePath, parseValue, setPath, unsetPath, type ConfigPath } from './paths';
import { propertiesOf } from './schema-info';

/** A command checked and turned into what it does, before any connection is made. */
export type Action =
  | { kind: 'show' }
  | { kind: 'mutate'; command: string; mutate: (current: RuntimeConfig) => RuntimeConfig }
  | { kind: 'diff'; doc: RuntimeConfig }
  | { kind: 'apply'; doc: RuntimeConfig; revision: number | undefined }
  | { kind: 'provision' };

export function prepare(command: Exclude<Command, { kind: 'help' }>, by: string, now: number): Action {
  switch (command.kind) {
    case 'show':
      return { kind: 'show' };
    case 'provision':
      return { kind: 'provision' };
    case 'set': {
      const path = parsePath(command.path);
      const value = parseValue(path, command.value);
      return mutation('set', (doc) => setPath(doc, path, value));
    }
    case 'unset': {
      const path = parsePath(command.path);
      return mutation('unset', (doc) => void unsetPath(doc, path));
    }
    case 'diff':
      return { kind: 'diff', doc: readDocumentFile(command.file, { updatedTs: now, updatedBy: by }) };
    case 'apply':
      return { kind: 'apply', doc: readDocumentFile(command.file, { updatedTs: now, updatedBy: by }), revision: command.revision };
    case 'kill': {
      const reason = command.on ? (command.reason ?? `kill switch set by ${by}`) : undefined;
      if (reason !== undefined) parseValue(parsePath('killReason'), reason);
      return mutation('kill', (doc) => {
        doc.killSwitch = command.on;
        if (reason === undefined) delete doc.killReason;
        else doc.killReason = reason;
      });
    }
    case 'variants-set':
      return variantSet(command.name, command.share, command.params, command.clearParams);
    case 'variants-rm': {
      const name = command.name;
      return mutation('variants rm', (doc) => {
        const i = doc.variants.findIndex((v) => v.name === name);
        if (i < 0) throw new InvalidInputError(`no variant named '${name}' (have: ${doc.variants.map((v) => v.name).join(', ') || 'none'})`);
        doc.variants.splice(i, 1);
      });
    }
  }
}

/** Applies `edit` to the copy of the current document and checks the whole result (InvalidInputError, exit 2). */
function mutation(command: string, edit: (doc: RuntimeConfig) => void): Action {
  return {
    kind: 'mutate',
    command,
    mutate: (current) => {
      edit(current);
      assertValid(current, 'the change would make the runtime config invalid');
      return current;
    },
  };
}

const variantProps = propertiesOf(Variant);

function variantSet(name: string, shareText: string, params: readonly string[], clearParams: boolean): Action {
  parseValue(field('variants.name', variantProps.name), name);
  const share = parseValue(field(`variants.${name}.share`, variantProps.share), shareText) as number;
  const edits = params.map((kv) => paramEdit(name, kv));
  return mutation('variants set', (doc) => {
    let variant = doc.variants.find((v) => v.name === name);
    if (variant === undefined) {
      variant = { name, share, params: {} };
      doc.variants.push(variant);
    }
    variant.share = share;
    if (clearParams) variant.params = {};
    for (const [key, value] of edits) editParam(variant.params as Record<string, unknown>, key.split('.'), value);
  });
}

const paramProps = propertiesOf(TradingParams);

/**
 * `key=value` → [key, typed value]; `key=` → [key, undefined] (remove). A key may name a field inside a parameter
 * group (`confidence.newEdgeScore=0.75`); it is checked against the TradingParams schema like a `set` path.
 */
function paramEdit(variant: string, kv: string): [string, unknown] {
  const eq = kv.indexOf('=');
  if (eq <= 0) throw new InvalidInputError(`--param wants key=value (got '${kv}')`);
  const key = kv.slice(0, eq);
  const text = kv.slice(eq + 1);
  const top = key.split('.')[0] as string;
  if (paramProps[top] === undefined) throw new InvalidInputError(`unknown param '${key}' (known: ${Object.keys(paramProps).join(', ')})`);
  const path = parsePath(`variants.${variant}.params.${key}`);
  if (text === '') return [key, undefined];
  return [key, parseValue(path, text)];
}

/** Sets (or, for undefined, removes) the field at `segs` in a variant's params; a group left empty is removed. */
function editParam(params: Record<string, unknown>, segs: readonly string[], value: unknown): void {
  const [head, ...rest] = segs as [string, ...string[]];
  if (rest.length === 0) {
    if (value === undefined) delete params[head];
    else params[head] = value;
    return;
  }
  const cur = params[head];
  const group: Record<string, unknown> = typeof cur === 'object' && cur !== null && !Array.isArray(cur) ? (cur as Record<string, unknown>) : {};
  editParam(group, rest, value);
  if (Object.keys(group).length === 0) delete params[head];
  else params[head] = group;
}

function field(text: string, schema: TSchema | undefined): ConfigPath {
  if (schema === undefined) throw new Error(`no schema for ${text}`);
  return { text, segments: text.split('.'), schema };
}
