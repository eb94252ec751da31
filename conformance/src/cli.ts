import type { CcxtVenue } from './ccxt';
import type { Form } from './types';

export const USAGE = `usage: npm run conformance -- [--short] [--venue binance|coinbase[,…]] [--out DIR]
  --short   the short form (what \`npm test\` runs)
  --venue   only these venues (default: both)
  --out     where latest.json / latest.md go (default conformance/results)`;

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export interface Cli {
  form: Form;
  venues: CcxtVenue[];
  out: string | null;
  help: boolean;
}

const VENUES: readonly CcxtVenue[] = ['binance', 'coinbase'];

export function parseCli(argv: readonly string[]): Cli {
  const cli: Cli = { form: 'full', venues: [...VENUES], out: null, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--short') cli.form = 'short';
    else if (a === '--help' || a === '-h') cli.help = true;
    else if (a === '--out' || a === '--venue') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new CliUsageError(`${a} needs a value`);
      if (a === '--out') cli.out = v;
      else {
        const list = v.split(',').filter((x) => x !== '');
        const bad = list.find((x) => !(VENUES as readonly string[]).includes(x));
        if (bad !== undefined || list.length === 0) throw new CliUsageError(`unknown venue ${JSON.stringify(bad ?? v)}`);
        cli.venues = list as CcxtVenue[];
      }
    } else throw new CliUsageError(`unknown argument ${JSON.stringify(a)}`);
  }
  return cli;
}
