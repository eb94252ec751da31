#!/usr/bin/env node
// `npm test`: type-check (tests included), lint, then Jest, stopping at the first failure.
// Extra arguments go to Jest: `npm test -- packages/contracts`. Exit code = the first failing step's.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logger, since } from './lib/log.mjs';
import { run } from './lib/run.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const log = logger('check');

/** Jest's own JSON summary, turned into one plain closing line (`jest: N passed, N failed`). */
function summarize(resultFile) {
  try {
    const r = JSON.parse(readFileSync(resultFile, 'utf8'));
    const skipped = r.numPendingTests + (r.numTodoTests ?? 0);
    log.info(`${r.numTotalTestSuites} suites, ${r.numTotalTests} tests`);
    process.stdout.write(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  } catch {
    // Jest did not write a result (crashed or bad arguments): its own output says why.
  }
}

async function step(name, command, args) {
  const t0 = Date.now();
  log.info(`${name} ...`);
  const code = await run(command, args, { cwd: root });
  if (code !== 0) {
    log.error(`${name} failed (exit ${code}, ${since(t0)})`);
    return code;
  }
  log.info(`${name} ok (${since(t0)})`);
  return 0;
}

const jestArgs = process.argv.slice(2);
const resultDir = mkdtempSync(join(tmpdir(), 'arb-check-'));
const resultFile = join(resultDir, 'jest.json');
let code = 0;
try {
  code =
    (await step('typecheck (tsc -p tsconfig.test.json)', bin('tsc'), ['-p', 'tsconfig.test.json'])) ||
    (await step('lint (eslint .)', bin('eslint'), ['.'])) ||
    (await step(`jest${jestArgs.length > 0 ? ` ${jestArgs.join(' ')}` : ''}`, bin('jest'), ['--json', `--outputFile=${resultFile}`, ...jestArgs]));
  summarize(resultFile);
} finally {
  rmSync(resultDir, { recursive: true, force: true });
}
process.exit(code);
