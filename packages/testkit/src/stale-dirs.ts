import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'arb-testkit-';
const OWNER_FILE = '.arb-testkit-owner';

/** Marks a temp dir as owned by this process (so a later run can remove it if this process is killed). */
export function claimDir(dir: string): void {
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let swept = false;

/** Once per process: removes testkit temp dirs left by processes that were killed before they could clean up. */
export function sweepStaleDirs(): void {
  if (swept) return;
  swept = true;
  let names: string[];
  try {
    names = readdirSync(tmpdir()).filter((n) => n.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(tmpdir(), name);
    try {
      const pid = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && !alive(pid)) rmSync(dir, { recursive: true, force: true });
    } catch {
      // no owner file (yet) or not ours to judge: leave it
    }
  }
}
