import { parseArgs } from 'node:util';
import type { Form } from './suite';

export interface CliOptions {
  readonly form: Form;
  readonly only: readonly string[];
  readonly out: string | undefined;
  readonly list: boolean;
  readonly help: boolean;
  /** Nodes of the NATS cluster the stack runs on (1 = one server, the default suite). */
  readonly natsCluster: number;
}

export const USAGE = `usage: npm run faults -- [--short] [--only <scenario>[,...]] [--out <dir>] [--list] [--nats-cluster <n>]
  --short        the short form (3 s faults, one probe window each; what npm test runs)
                 default: the full form (15 s faults, three probe windows each)
  --only <x>     run only these scenarios (in suite order); repeatable
  --out <dir>    where latest.json, latest.md and logs/ go (default faults/results, faults/results/nats-cluster)
  --list         list the scenarios and exit
  --nats-cluster <n>  run the stack on a local NATS cluster of n nodes (2..5; streams with n replicas, two executors,
                 stats) and inject the cluster scenarios instead: the leading node killed, a follower killed, a
                 network split healed after 10 s`;

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
        'nats-cluster': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    const natsCluster = values['nats-cluster'] === undefined ? 1 : Number(values['nats-cluster']);
    if (!Number.isInteger(natsCluster) || natsCluster < 1 || natsCluster > 5) throw new Error(`--nats-cluster must be a whole number of nodes from 1 to 5 (got ${values['nats-cluster']})`);
    if (natsCluster === 2) throw new Error('--nats-cluster 2 cannot lose a node (a quorum of 2 needs both); use 3 or more');
    return {
      natsCluster,
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
