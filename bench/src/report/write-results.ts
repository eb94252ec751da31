import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModuleOutcome } from '../runner';
import type { BenchRow } from '../types';
import { renderMarkdown } from './markdown';
import type { RunMeta } from './run-meta';

export interface ResultFiles {
  readonly json: string;
  readonly markdown: string;
}

/** Writes `<dir>/latest.json` ({ meta, modules, rows }) and `<dir>/latest.md`. */
export function writeResults(dir: string, meta: RunMeta, outcomes: readonly ModuleOutcome[]): ResultFiles {
  mkdirSync(dir, { recursive: true });
  const rows: BenchRow[] = outcomes.flatMap((o) => o.rows);
  const modules = outcomes.map(({ module, status, seconds, host }) => ({ module, status, seconds, host }));
  const json = join(dir, 'latest.json');
  const markdown = join(dir, 'latest.md');
  writeFileSync(json, `${JSON.stringify({ meta, modules, rows }, null, 2)}\n`);
  writeFileSync(markdown, renderMarkdown(meta, rows, outcomes));
  return { json, markdown };
}
