import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SuiteReport } from './types';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The conformance table: one row per call, one column per venue, pass/FAIL; then the verdict. */
export function table(r: SuiteReport): string {
  const calls = [...new Set(r.results.map((x) => x.call))];
  const head = ['call', ...r.venues];
  const body = calls.map((call) => [call, ...r.venues.map((v) => {
    const x = r.results.find((y) => y.call === call && y.venue === v);
    return x === undefined ? '-' : x.ok ? 'pass' : 'FAIL';
  })]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const passed = r.results.filter((x) => x.ok).length;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), `conformance (${r.form} form, ccxt ${r.ccxtVersion}): ${passed}/${r.results.length} pass → ${r.ok ? 'PASS' : 'FAIL'}`].join('\n');
}

export function markdown(r: SuiteReport): string {
  return [
    `# Conformance: ccxt against exchange-sim (${r.form} form): ${r.ok ? 'PASS' : 'FAIL'}`,
    '',
    `Command: \`${r.command}\` · started ${r.startedAt} · ${(r.durationMs / 1000).toFixed(0)} s · ccxt ${r.ccxtVersion}, unmodified (URLs and keys only)`,
    '',
    `Changed from the shipped sim config: ${Object.entries(r.overrides).map(([k, v]) => `\`${k}\` = ${v}`).join('; ') || 'nothing'}.`,
    '',
    table(r),
    '',
    '## What each check saw',
    '',
    '| call | venue | result | detail | ms |',
    '|---|---|---|---|---|',
    ...r.results.map((x) => `| ${cell(x.call)} | ${x.venue} | ${x.ok ? 'pass' : '**FAIL**'} | ${cell(x.detail)} | ${x.ms} |`),
    '',
  ].join('\n');
}

/** Writes `<dir>/latest.json` and `<dir>/latest.md`; returns their paths. */
export function writeReport(dir: string, r: SuiteReport): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'latest.json');
  const md = join(dir, 'latest.md');
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(md, markdown(r));
  return { json, md };
}
