import { InvalidNameError } from './errors';

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** One subject/key token: no dots, wildcards, colons or whitespace, so names can't be spoofed. */
export function token(kind: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64 || !TOKEN.test(value)) {
    throw new InvalidNameError(`invalid ${kind} ${JSON.stringify(value)}: expected 1-64 of [A-Za-z0-9_-]`);
  }
  return value;
}
