import { readFileSync } from 'node:fs';

/** VmRSS (bytes) from the text of `/proc/<pid>/status`. */
export function parseRssBytes(statusText: string): number | undefined {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(statusText);
  return m === null ? undefined : Number(m[1]) * 1024;
}

/** Resident memory of a process (bytes), or undefined when /proc is not there (non-Linux) or it is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    return parseRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}
