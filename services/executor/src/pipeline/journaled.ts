import type { ExecutionReport } from '@arb/contracts';
import type { ExecutorDeps, HandleResult } from './context';

/** Journals `report` (retrying until stored or shutdown) and tells the process's report hook. */
export async function journaled(d: Pick<ExecutorDeps, 'journal' | 'onReport'>, report: ExecutionReport): Promise<HandleResult> {
  const result = await d.journal.write(report);
  d.onReport?.(report, result === 'stored');
  return { kind: 'journaled', status: report.status, report };
}
