import { parseArgs } from 'node:util';
import { UsageError } from './errors';

export interface GlobalOptions {
  nats: string | undefined;
  json: boolean;
  by: string | undefined;
  dryRun: boolean;
  timeoutMs: number;
}

export type Command =
  | { kind: 'help' }
  | { kind: 'show' }
  | { kind: 'set'; path: string; value: string }
  | { kind: 'unset'; path: string }
  | { kind: 'diff'; file: string }
  | { kind: 'apply'; file: string; revision: number | undefined }
  | { kind: 'kill'; on: boolean; reason: string | undefined }
  | { kind: 'variants-set'; name: string; share: string; params: string[]; clearParams: boolean }
  | { kind: 'variants-rm'; name: string }
  | { kind: 'provision' };

export interface ParsedArgs {
  options: GlobalOptions;
  command: Command;
}

const OPTIONS = {
  nats: { type: 'string' },
  json: { type: 'boolean' },
  by: { type: 'string' },
  'dry-run': { type: 'boolean' },
  timeout: { type: 'string' },
  reason: { type: 'string' },
  param: { type: 'string', multiple: true },
  'clear-params': { type: 'boolean' },
  revision: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Options only some commands accept. */
const COMMAND_OPTIONS: Record<string, readonly string[]> = {
  reason: ['kill'],
  param: ['variants-set'],
  'clear-params': ['variants-set'],
  revision: ['apply'],
};

export function parseCli(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (cause) {
    throw new UsageError((cause as Error).message, { cause });
  }
  const { values: v, positionals: p } = parsed;
  const options: GlobalOptions = {
    nats: v.nats,
    json: v.json === true,
    by: v.by,
    dryRun: v['dry-run'] === true,
    timeoutMs: v.timeout === undefined ? 5_000 : positiveInt('--timeout', v.timeout),
  };
  const command: Command = v.help === true || p.length === 0 ? { kind: 'help' } : parseCommand(p, v);
  for (const [option, allowed] of Object.entries(COMMAND_OPTIONS)) {
    if ((v as Record<string, unknown>)[option] !== undefined && !allowed.includes(command.kind)) {
      throw new UsageError(`--${option} does not apply to '${p.slice(0, 2).join(' ')}'`);
    }
  }
  return { options, command };
}

function parseCommand(p: string[], v: { reason?: string; param?: string[]; 'clear-params'?: boolean; revision?: string }): Command {
  const [cmd, a, b, c] = p;
  const arity = (n: number, usage: string): void => {
    if (p.length !== n) throw new UsageError(`usage: arb-config ${usage}`);
  };
  switch (cmd) {
    case 'show':
      arity(1, 'show');
      return { kind: 'show' };
    case 'set':
      arity(3, 'set <path> <value>');
      return { kind: 'set', path: a as string, value: b as string };
    case 'unset':
      arity(2, 'unset <path>');
      return { kind: 'unset', path: a as string };
    case 'diff':
      arity(2, 'diff <file.yaml|file.json>');
      return { kind: 'diff', file: a as string };
    case 'apply':
      arity(2, 'apply <file.yaml|file.json> [--revision N]');
      return { kind: 'apply', file: a as string, revision: v.revision === undefined ? undefined : nonNegativeInt('--revision', v.revision) };
    case 'kill':
      arity(2, 'kill on|off [--reason text]');
      if (a !== 'on' && a !== 'off') throw new UsageError(`usage: arb-config kill on|off [--reason text] (got '${a}')`);
      if (a === 'off' && v.reason !== undefined) throw new UsageError('--reason only applies to kill on');
      return { kind: 'kill', on: a === 'on', reason: v.reason };
    case 'provision':
      arity(1, 'provision');
      return { kind: 'provision' };
    case 'variants':
      if (a === 'set') {
        arity(4, 'variants set <name> <share> [--param key=value ...] [--clear-params]');
        return { kind: 'variants-set', name: b as string, share: c as string, params: v.param ?? [], clearParams: v['clear-params'] === true };
      }
      if (a === 'rm') {
        arity(3, 'variants rm <name>');
        return { kind: 'variants-rm', name: b as string };
      }
      throw new UsageError('usage: arb-config variants set <name> <share> [--param key=value ...] | variants rm <name>');
    default:
      throw new UsageError(`unknown command '${cmd}'`);
  }
}

function positiveInt(option: string, text: string): number {
  const n = nonNegativeInt(option, text);
  if (n === 0) throw new UsageError(`${option} must be a positive integer (got '${text}')`);
  return n;
}

function nonNegativeInt(option: string, text: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`${option} must be a non-negative integer (got '${text}')`);
  }
  return Number(text);
}

export const HELP = `arb-config: read and change the runtime config (KV bucket arb_config, key runtime)

usage: arb-config [options] <command>

commands:
  show                                   current document and its revision
  set <path> <value>                     e.g. set params.minProfitPct 0.1, set variants.fast.share 0.2
  unset <path>                           remove an override (e.g. unset params.minProfitPct)
  diff <file.yaml|file.json>             what applying the file would change
  apply <file.yaml|file.json>            replace the whole document (validated first)
        [--revision N]                   only if the stored revision is still N (default: the one just read)
  kill on|off [--reason text]            kill switch for every service
  variants set <name> <share>            add or change an A/B variant (share in (0, 1])
        [--param key=value ...]          set variant params (key= removes one); merged into existing ones
        [--clear-params]                 start from no params
  variants rm <name>                     remove a variant
  provision                              create or update the JetStream streams and the buckets (deny_delete,
                                         deny_purge) with nats.replicas copies (config, ARB__NATS__REPLICAS: the
                                         services' value); run as the NATS user provisioner (or admin): the
                                         services' users may not create or change streams

options:
  --nats <url>     NATS server (default: config nats.url, ARB__NATS__URL, nats://127.0.0.1:4222);
                   nats://user:password@host:4222 logs in as that user
  --json           machine-readable output
  --by <name>      written to updatedBy (default: cli:<user>@<host>)
  --dry-run        validate and print the change, write nothing
  --timeout <ms>   NATS connect/request timeout (default 5000)

paths: params.<minProfitPct|minProfitUsd|riskLimitPerTrade|minConfidence|stalenessMs|executionWindowMs|
  maxConcurrentTrades>, killSwitch, killReason, variants.<name|index>.<share|params.<key>>.
Decimal fields keep the exact text given (0.10 stays "0.10"); number fields take numbers.
Every change is validated before anything is written; a bad value exits 2 and writes nothing.
Exit codes: 0 ok, 1 failure, 2 invalid input (nothing written), 3 concurrent change (nothing written).
`;
