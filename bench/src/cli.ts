import { parseArgs } from 'node:util';

export interface CliOptions {
  readonly quick: boolean;
  readonly heavy: boolean;
  /** Seconds of the memory soak when --soak / --soak-seconds is given. */
  readonly soakSeconds: number | undefined;
  readonly only: readonly string[];
  readonly out: string | undefined;
  readonly list: boolean;
  readonly help: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick] [--heavy] [--soak [--soak-seconds N]] [--only <name|group>[,...]] [--out <dir>] [--list]
  --quick        short form of every benchmark (seconds instead of minutes)
  --heavy        also the heavy parts: end to end at 50k updates/s and the throughput ramp (e2e.throughput)
  --soak         also the memory soak (e2e.soak): RSS of every service after a soak at 10k updates/s (default 300 s)
  --soak-seconds N   soak length (implies --soak)
  --only <x>     run only these modules (full name like floors.nats, or a group like floors); repeatable
  --out <dir>    where latest.json, latest.md and logs/ go (default bench/results)
  --list         list the benchmark modules and exit`;

export const DEFAULT_SOAK_SECONDS = 300;

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
        heavy: { type: 'boolean', default: false },
        soak: { type: 'boolean', default: false },
        'soak-seconds': { type: 'string' },
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
  let soakSeconds: number | undefined;
  const soakText = values['soak-seconds'];
  if (soakText !== undefined) {
    soakSeconds = Number(soakText);
    if (!Number.isFinite(soakSeconds) || soakSeconds < 1) throw new CliUsageError(`--soak-seconds must be a number of seconds >= 1 (got ${soakText})`);
  } else if (values.soak === true) {
    soakSeconds = DEFAULT_SOAK_SECONDS;
  }
  return {
    quick: values.quick === true,
    heavy: values.heavy === true,
    soakSeconds,
    only,
    out: values.out,
    list: values.list === true,
    help: values.help === true,
  };
}
