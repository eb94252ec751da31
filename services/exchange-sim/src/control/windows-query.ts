import type { SimWorld } from '../world/world';
import { windowJson } from '../world/window-record';
import type { WindowsDoc } from '../world/windows-doc';

export type WindowsQueryResult = { ok: true; doc: WindowsDoc } | { ok: false; error: string };

const MAX_LIMIT = 1_000_000;

function num(q: URLSearchParams, key: string): number | null | undefined {
  const raw = q.get(key);
  if (raw === null) return undefined;
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) ? n : null;
}

/**
 * GET /control/windows: the recorded windows (see world/windows-doc.ts), filtered by `since` (opened at or after this local
 * epoch ms), `symbol`, `minEdgeBps` (best edge at least this), `open=true|false`, `limit` (the most recent N).
 */
export function queryWindows(world: SimWorld, q: URLSearchParams, now: number): WindowsQueryResult {
  const since = num(q, 'since');
  const minEdge = num(q, 'minEdgeBps');
  const limit = num(q, 'limit');
  if (since === null) return { ok: false, error: 'since must be a number (local epoch ms)' };
  if (minEdge === null) return { ok: false, error: 'minEdgeBps must be a number' };
  if (limit === null || (limit !== undefined && (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT))) {
    return { ok: false, error: `limit must be an integer 0..${MAX_LIMIT}` };
  }
  const openRaw = q.get('open');
  if (openRaw !== null && openRaw !== 'true' && openRaw !== 'false') return { ok: false, error: 'open must be true or false' };
  const symbol = q.get('symbol');
  const open = openRaw === null ? null : openRaw === 'true';
  let ws = world.windows.ring.toArray().filter(
    (w) =>
      (since === undefined || w.openTs >= since) &&
      (symbol === null || w.symbol === symbol) &&
      (minEdge === undefined || w.best.edgeBps >= minEdge) &&
      (open === null || (w.closeTs === null) === open),
  );
  if (limit !== undefined && ws.length > limit) ws = ws.slice(ws.length - limit);
  const { ring } = world.windows;
  return {
    ok: true,
    doc: { v: 1, ts: now, modelMs: world.market.now, capacity: ring.capacity, total: ring.total, openNow: world.windows.openCount, windows: ws.map(windowJson) },
  };
}
