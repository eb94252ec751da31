#!/usr/bin/env node
import { resolve } from 'node:path';
import { REPO_ROOT } from '@arb/testkit';
import { CliUsageError, parseCli, USAGE } from './cli';
import { table, writeReport } from './report';
import { CLUSTER_SCENARIOS, SCENARIOS } from './scenarios';
import { STACK_SETTINGS, stackOverrides } from './stack';
import { runSuite, selectScenarios, UnknownScenarioError } from './suite';

/** `npm run faults -- [...]`: runs the fault-injection suite, prints a table, writes latest.json and latest.md. Exit 0 = pass. */
async function main(argv: readonly string[]): Promise<number> {
  let cli;
  try {
    cli = parseCli(argv);
    selectScenarios(cli.only, cli.form, cli.natsCluster);
  } catch (e) {
    if (e instanceof CliUsageError || e instanceof UnknownScenarioError) {
      process.stderr.write(`${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (cli.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (cli.list) {
    for (const s of cli.natsCluster > 1 ? CLUSTER_SCENARIOS : SCENARIOS) process.stdout.write(`${s.name.padEnd(20)} ${s.fault}${s.fullOnly === true ? ' (full form only)' : ''}\n`);
    return 0;
  }
  const outDir = resolve(cli.out ?? resolve(REPO_ROOT, 'faults', 'results', ...(cli.natsCluster > 1 ? ['nats-cluster'] : [])));
  const args = [
    ...(cli.form === 'short' ? ['--short'] : []),
    ...(cli.natsCluster > 1 ? ['--nats-cluster', String(cli.natsCluster)] : []),
    ...(cli.only.length > 0 ? ['--only', cli.only.join(',')] : []),
  ];
  const command = `npm run faults${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
  process.stdout.write(`[faults] shipped configuration except (why):\n${stackOverrides(STACK_SETTINGS).map((l) => `[faults]   ${l}`).join('\n')}\n`);
  const report = await runSuite({ form: cli.form, only: cli.only, outDir, command, natsCluster: cli.natsCluster, log: (l) => process.stdout.write(`[faults] ${l}\n`) });
  const files = writeReport(outDir, report);
  process.stdout.write(`\n${table(report)}\n\nreport: ${files.md}\n        ${files.json}\n`);
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`[faults] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
