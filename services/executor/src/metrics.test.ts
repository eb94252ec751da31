import { EXECUTION_STATUSES } from '@arb/contracts';
import { Registry } from '@arb/service-kit';
import { createExecutorMetrics } from './metrics';

describe('executor metrics', () => {
  it('every trade status exists from 0 at start, so the first trade shows in rate() and increase()', async () => {
    const registry = new Registry();
    createExecutorMetrics(registry);
    const text = await registry.metrics();
    const statuses = [...text.matchAll(/^executor_trades_total\{status="([a-z-]+)"\} 0$/gm)].map((m) => m[1]);
    expect(statuses.sort()).toEqual([...EXECUTION_STATUSES].sort());
  });
});
