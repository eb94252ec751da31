import { parseArgs } from 'node:util';
import type { Form } from './suite';

export interface CliOptions {
  readonly form: Form;
  readonly only: readonly string[];
  readonly out: string | undefined;
  readonly list: boolean;
  readonly help: boolean;
}

export const USAGE = `usage: npm run faults -- [--short] [--only <scenario>[,...]] [--out <dir>] [--list]
  --short        the short form (3 s faults, one probe window each; what npm test runs)
                 default: the full form (15 s faults, three probe windows each)
  --only <x>     run only these scenarios (in suite order); repeatable
  --out <dir>    where latest.json, latest.md and logs/ go (default faults/results)
  --list         list the scenarios and exit`;

/** A command-line mistake (the CLI prints USAGE and exits 2). */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function parseCli(argv: readonly string[]): CliOptions {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        short: { type: 'boolean', default: false },
        only: { type: 'string', multiple: true },
        out: { type: 'string' },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    return {
      form: values.short === true ? 'short' : 'full',
      only: (values.only ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''),
      out: values.out,
      list: values.list === true,
      help: values.help === true,
    };
  } catch (cause) {
    throw new CliUsageError(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}
