import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValidationError } from './errors';

/** A compiled checker for one schema. Compiles on first use, so importing costs nothing. */
export interface Validator<S extends TSchema> {
  readonly schemaId: string;
  check(value: unknown): value is Static<S>;
  /** Human-readable issues, each `path: message (value)`; empty when valid. */
  issues(value: unknown): string[];
  /** Returns the value typed, or throws ValidationError. */
  assert(value: unknown): Static<S>;
  /** Parses JSON text (or bytes) and validates it; throws ValidationError on either failure. */
  decode(data: string | Uint8Array): Static<S>;
}

const textDecoder = new TextDecoder();

export function createValidator<S extends TSchema>(schema: S, references: TSchema[] = []): Validator<S> {
  const schemaId = typeof schema.$id === 'string' ? schema.$id : 'anonymous';
  let compiled: TypeCheck<S> | undefined;
  const checker = (): TypeCheck<S> => (compiled ??= TypeCompiler.Compile(schema, references));
  const issues = (value: unknown): string[] => {
    const out: string[] = [];
    for (const e of checker().Errors(value)) {
      out.push(`${e.path || '/'}: ${e.message} (got ${preview(e.value)})`);
      if (out.length >= 20) break;
    }
    return out;
  };
  const assert = (value: unknown): Static<S> => {
    if (checker().Check(value)) return value;
    throw new ValidationError(schemaId, issues(value));
  };
  return {
    schemaId,
    check: (value: unknown): value is Static<S> => checker().Check(value),
    issues,
    assert,
    decode(data) {
      let value: unknown;
      try {
        value = JSON.parse(typeof data === 'string' ? data : textDecoder.decode(data));
      } catch (cause) {
        throw new ValidationError(schemaId, ['/: not valid JSON'], { cause });
      }
      return assert(value);
    },
  };
}

/** Short text of a failing value. Never throws: for a value nested deeper than the stack, String() would recurse too. */
function preview(value: unknown): string {
  let s: string | undefined;
  try {
    s = JSON.stringify(value);
  } catch {
    s = undefined;
  }
  s ??= Array.isArray(value) ? `[array(${value.length})]` : typeof value === 'object' && value !== null ? '[object]' : String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
