import type { SimWorld } from '../world/world';

/** The windows' and rivals' counters for GET /control/stats. */
export function worldStats(world: SimWorld): { windows: Record<string, unknown>; rivals: Record<string, unknown> } {
  const w = world.windows.counters;
  const r = world.rivals.counters;
  return {
    windows: { opened: w.opened, closed: w.closed, open: world.windows.openCount, byCause: { ...w.byCause }, byClose: { ...w.byClose } },
    rivals: { scheduled: r.scheduled, sweeps: r.sweeps, missed: r.missed, fills: { ...r.fills } },
  };
}
