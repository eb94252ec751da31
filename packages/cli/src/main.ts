#!/usr/bin/env node
import { runCli } from './run';

// Entry point of `arb-config` (bin) and `npm run config --`: everything else lives in run.ts.
void runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  cwd: process.cwd(),
}).then((code) => {
  process.exitCode = code;
});
