import { parseArgs } from 'node:util';

export interface CliOptions {
  readonly quick: boolean;
  readonly only: readonly string[];
  readonly out: string | undefined;
  readonly list: boolean;
  readonly help: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick] [--only <name|group>[,...]] [--out <dir>] [--list]
  --quick        short form of every benchmark (seconds instead of minutes)
  --only <x>     run only these modules (full name like floors.nats, or a group like floors); repeatable
  --out <dir>    where latest.json, latest.md and logs/ go (default bench/results)
  --list         list the benchmark modules and exit`;

/** Thrown for command-line mistakes (the CLI prints USAGE and exits 2). */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function parseCli(argv: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string', multiple: true },
        out: { type: 'string' },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (cause) {
    throw new CliUsageError(cause instanceof Error ? cause.message : String(cause), { cause });
  }
  const only = (values.only ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return { quick: values.quick === true, only, out: values.out, list: values.list === true, help: values.help === true };
}
