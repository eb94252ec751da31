import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { invariantList } from './invariants';
import type { Check, FaultResult, Invariants, SuiteReport } from './types';

const mark = (ok: boolean): string => (ok ? 'ok' : 'FAIL');
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const recovery = (f: FaultResult): string => (f.recoveryMs === null ? 'did not recover' : `${Math.round(f.recoveryMs)} ms`);
const inv = (i: Invariants): string => invariantList(i).map((c) => mark(c.ok)).join(' / ');

/** One line per fault for the terminal. */
export function table(r: SuiteReport): string {
  const rows = r.faults.map((f) => [f.ok ? '✓' : '✗', f.name, recovery(f), inv(f.invariants), f.lost]);
  const head = ['', 'fault', 'recovery', 'journal / stale / semaphore / ledger / balances', 'lost'];
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length))));
  const line = (cells: string[]): string => cells.map((c, i) => (c.length > (widths[i] ?? 0) ? `${c.slice(0, (widths[i] ?? 1) - 1)}…` : c.padEnd(widths[i] ?? 0))).join('  ');
  return [line(head), ...rows.map(line), `final over the whole run: ${inv(r.final)} → ${r.ok ? 'PASS' : 'FAIL'}`].join('\n');
}

const checkLine = (c: Check): string => `- ${mark(c.ok)} **${c.name}**: ${c.detail}`;

export function markdown(r: SuiteReport): string {
  const out = [
    `# Fault-injection suite (${r.form} form): ${r.ok ? 'PASS' : 'FAIL'}`,
    '',
    `Command: \`${r.command}\` · started ${r.startedAt} · ${(r.durationMs / 1000).toFixed(0)} s · machine: ${r.machine}`,
    '',
    `Settings: ${Object.entries(r.settings).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    '',
    'Invariants after each fault (cumulative journal and venue orders; opportunities of that fault; most trades ever in flight):',
    'journal = every venue order is in exactly one trade\'s reports (report + corrections) with its fill and fee;',
    'stale = no opportunity used a book older than detector.stalenessMs; semaphore = never more trades in flight than the limit;',
    'ledger = the inventory ledger equals the venues\' balances; balances = every venue balance change is journaled, exposure included.',
    '',
    '| fault | what the system did | recovery | lost | journal / stale / semaphore / ledger / balances |',
    '|---|---|---|---|---|',
    ...r.faults.map((f) => `| **${f.name}**: ${cell(f.fault)} | ${cell(f.behaviour.join('; ') || (f.error ?? ''))} | ${recovery(f)} (${cell(f.recoveryOf)}) | ${cell(f.lost)} | ${inv(f.invariants)} |`),
    '',
    '## Final invariants (whole run)',
    '',
    ...invariantList(r.final).map(checkLine),
    '',
    '## Checks per fault',
  ];
  for (const f of r.faults) {
    out.push('', `### ${f.name} — ${mark(f.ok)} (${(f.durationMs / 1000).toFixed(1)} s)`, '');
    if (f.error !== undefined) out.push(`- FAIL **scenario error**: ${f.error}`);
    out.push(...f.checks.map(checkLine), ...invariantList(f.invariants).map(checkLine));
  }
  return `${out.join('\n')}\n`;
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
