import { rmSync } from 'node:fs';

/** Something to clean up synchronously if the test process exits without stopping it. */
export interface Leftover {
  /** Pid of a still-running child, if any. */
  pid(): number | undefined;
  /** Temp dirs to delete. */
  readonly dirs: readonly string[];
}

const leftovers = new Set<Leftover>();
let hooked = false;

function cleanupAll(): void {
  for (const leftover of leftovers) {
    const pid = leftover.pid();
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const dir of leftover.dirs) rmSync(dir, { recursive: true, force: true });
  }
  leftovers.clear();
}

/** Tracks a child until `release`; installs the process 'exit' hook on first use (not at import). */
export function track(leftover: Leftover): void {
  if (!hooked) {
    hooked = true;
    process.on('exit', cleanupAll);
  }
  leftovers.add(leftover);
}

export function release(leftover: Leftover): void {
  leftovers.delete(leftover);
}
