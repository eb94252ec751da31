#!/usr/bin/env node
import { resolve } from 'node:path';
import { REPO_ROOT } from '@arb/testkit';
import { CliUsageError, parseCli, USAGE } from './cli';
import { table, writeReport } from './report';
import { runSuite } from './suite';

/** `npm run conformance -- [...]`: runs the suite, prints the table, writes latest.json and latest.md. Exit 0 = pass. */
async function main(argv: readonly string[]): Promise<number> {
  let cli;
  try {
    cli = parseCli(argv);
  } catch (e) {
    if (!(e instanceof CliUsageError)) throw e;
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    return 2;
  }
  if (cli.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const outDir = resolve(cli.out ?? resolve(REPO_ROOT, 'conformance', 'results'));
  const args = [...(cli.form === 'short' ? ['--short'] : []), ...(cli.venues.length < 2 ? ['--venue', cli.venues.join(',')] : [])];
  const command = `npm run conformance${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  const report = await runSuite({ form: cli.form, venues: cli.venues, command, log: (l) => process.stdout.write(`[conformance] ${l}\n`) });
  const files = writeReport(outDir, report);
  process.stdout.write(`\n${table(report)}\n\nreport: ${files.md}\n        ${files.json}\n`);
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`[conformance] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
