import { UDECIMAL_PATTERN } from '@arb/contracts';
import { Kind, type TSchema } from '@sinclair/typebox';

export function kindOf(schema: TSchema): string | undefined {
  const kind: unknown = (schema as unknown as Record<symbol, unknown>)[Kind];
  return typeof kind === 'string' ? kind : undefined;
}

export function propertiesOf(schema: TSchema): Record<string, TSchema> {
  return (schema.properties ?? {}) as Record<string, TSchema>;
}

/** What a value of `schema` must look like, for error messages. */
export function describeSchema(schema: TSchema): string {
  switch (kindOf(schema)) {
    case 'String': {
      if (schema.pattern === UDECIMAL_PATTERN) return 'a non-negative decimal like 0.15 (plain digits, no exponent)';
      if (typeof schema.pattern === 'string') return `text matching ${schema.pattern}`;
      return typeof schema.maxLength === 'number' ? `text of at most ${schema.maxLength} characters` : 'text';
    }
    case 'Integer':
    case 'Number': {
      const what = kindOf(schema) === 'Integer' ? 'an integer' : 'a number';
      const low = typeof schema.exclusiveMinimum === 'number' ? `(${schema.exclusiveMinimum}` : typeof schema.minimum === 'number' ? `[${schema.minimum}` : '(-inf';
      const high = typeof schema.exclusiveMaximum === 'number' ? `${schema.exclusiveMaximum})` : typeof schema.maximum === 'number' ? `${schema.maximum}]` : 'inf)';
      return `${what} in ${low}, ${high}`;
    }
    case 'Boolean':
      return 'true or false';
    case 'Literal':
      return JSON.stringify(schema.const);
    case 'Object':
      return `an object with keys ${Object.keys(propertiesOf(schema)).join(', ')}`;
    case 'Array':
      return 'a list';
    default:
      return 'a valid value';
  }
}
