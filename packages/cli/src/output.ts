import type { RuntimeConfig } from '@arb/contracts';
import { formatChanges, type ConfigChange, type ProvisionResult } from '@arb/service-kit';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface WriteOutcome {
  command: string;
  written: boolean;
  dryRun: boolean;
  revision: number;
  previousRevision: number;
  changes: readonly ConfigChange[];
  config: RuntimeConfig;
}

export function printOutcome(io: CliIo, json: boolean, o: WriteOutcome): void {
  if (json) {
    io.out(JSON.stringify({ ok: true, ...o }));
    return;
  }
  for (const line of formatChanges(o.changes)) io.out(line);
  if (o.changes.length === 0) io.out(`no change (revision ${o.previousRevision})`);
  else if (o.dryRun) io.out(`dry run: nothing written (revision ${o.previousRevision})`);
  else if (o.written) io.out(`written: revision ${o.revision} (was ${o.previousRevision}) by ${o.config.updatedBy}`);
}

export function printShow(io: CliIo, json: boolean, s: { revision: number; exists: boolean; config: RuntimeConfig }): void {
  if (json) {
    io.out(JSON.stringify({ ok: true, ...s }));
    return;
  }
  const when = s.config.updatedTs > 0 ? new Date(s.config.updatedTs).toISOString() : 'never';
  io.out(s.exists ? `revision ${s.revision}, updated ${when} by ${s.config.updatedBy}` : `revision ${s.revision}: key absent, default document in force`);
  io.out(JSON.stringify(s.config, null, 2));
}

export function printDiff(io: CliIo, json: boolean, d: { revision: number; changes: readonly ConfigChange[] }): void {
  if (json) {
    io.out(JSON.stringify({ ok: true, ...d }));
    return;
  }
  for (const line of formatChanges(d.changes)) io.out(line);
  io.out(d.changes.length === 0 ? `no difference from revision ${d.revision}` : `${d.changes.length} change(s) against revision ${d.revision}`);
}

export function printProvision(io: CliIo, json: boolean, r: ProvisionResult): void {
  if (json) {
    io.out(JSON.stringify({ ok: true, ...r }));
    return;
  }
  for (const [name, action] of Object.entries(r.streams)) io.out(`stream ${name}: ${action}`);
  for (const [name, action] of Object.entries(r.buckets)) io.out(`bucket ${name}: ${action}`);
}

export function printError(io: CliIo, json: boolean, code: number, message: string, extra: Record<string, unknown> = {}): void {
  if (json) io.out(JSON.stringify({ ok: false, code, error: message, ...extra }));
  io.err(`arb-config: ${message}`);
}
