/**
 * `npm run bench` entry: runs the selected benchmark modules, prints a table and writes latest.json / latest.md.
 * Exit code 0 when every selected module ran (targets missed are reported, not fatal), 1 when a module failed,
 * 2 on a command-line mistake.
 */
import { join, resolve } from 'node:path';
import { CliUsageError, parseCli, USAGE, type CliOptions } from './cli';
import { createContext, type RunContext } from './context';
import { BENCHMARKS, selectBenchmarks } from './registry';
import { runMeta } from './report/run-meta';
import { renderTable } from './report/table';
import { writeResults } from './report/write-results';
import { runBenchmarks } from './runner';
import type { BenchLogger } from './types';

const log: BenchLogger = {
  info: (text) => process.stdout.write(`[bench] ${text}\n`),
  warn: (text) => process.stderr.write(`[bench] ${text}\n`),
};

async function main(argv: readonly string[]): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseCli(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (opts.list) {
    for (const m of BENCHMARKS) process.stdout.write(`${m.name.padEnd(20)} ${m.description}\n`);
    return 0;
  }
  const { selected, unknown } = selectBenchmarks(BENCHMARKS, opts.only);
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')} (see --list)\n`);
    return 2;
  }
  // dist/main.js → repository root
  const root = resolve(__dirname, '..', '..');
  const outDir = resolve(opts.out ?? join(root, 'bench', 'results'));
  const startedAt = new Date();
  const meta = runMeta({ root, quick: opts.quick, heavy: opts.heavy, soakSeconds: opts.soakSeconds, only: opts.only, args: argv, startedAt });
  const ctx = createContext({ quick: opts.quick, heavy: opts.heavy, soakSeconds: opts.soakSeconds, only: opts.only, root, outDir, log });
  const onSignal = (sig: NodeJS.Signals): void => void interrupted(ctx, sig);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  log.info(`${runKind(opts)} run: ${selected.map((m) => m.name).join(', ')}`);
  let outcomes;
  try {
    outcomes = await runBenchmarks(selected, ctx);
  } finally {
    await ctx.close();
  }
  const files = writeResults(outDir, { ...meta, seconds: (Date.now() - startedAt.getTime()) / 1000 }, outcomes);
  process.stdout.write(`\n${renderTable(outcomes.flatMap((o) => o.rows))}\n\n`);
  log.info(`wrote ${files.json} and ${files.markdown}`);
  return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
}

function runKind(o: CliOptions): string {
  return [o.quick ? 'quick' : 'full', ...(o.heavy ? ['heavy'] : []), ...(o.soakSeconds !== undefined ? [`soak ${o.soakSeconds}s`] : [])].join(', ');
}

async function interrupted(ctx: RunContext, sig: NodeJS.Signals): Promise<void> {
  log.warn(`${sig}: stopping`);
  const timer = setTimeout(() => process.exit(130), 5000);
  await ctx.close();
  clearTimeout(timer);
  process.exit(130);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
