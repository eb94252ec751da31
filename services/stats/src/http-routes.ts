import type { ServerResponse } from 'node:http';
import type { RouteHandler } from '@arb/service-kit';
import type { JournalCounters, StatsBook, StatsSnapshot } from './stats-book';

/** Where the journal replay stands. */
export interface JournalPosition {
  lastSeq: number;
  targetSeq: number;
  caughtUp: boolean;
}

/** The body of `/stats`: the snapshot, with the journal position merged into `journal`. */
export type StatsResponse = Omit<StatsSnapshot, 'journal'> & { journal: JournalCounters & JournalPosition };

/** The page may only talk to its own origin and load nothing from elsewhere. */
const PAGE_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'";

export interface StatsRoutesOptions {
  book: StatsBook;
  /** Journal position, merged into /stats. */
  journal(): JournalPosition;
  /** The status page (one self-contained HTML document). */
  page: string;
  now(): number;
}

/** `/` status page, `/stats` JSON, `/stats/timeseries` JSON. */
export function statsRoutes(o: StatsRoutesOptions): Record<string, RouteHandler> {
  return {
    '/': (_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': PAGE_CSP,
      });
      res.end(o.page);
    },
    '/stats': (_req, res) => {
      const s = o.book.snapshot(o.now());
      const body: StatsResponse = { ...s, journal: { ...s.journal, ...o.journal() } };
      json(res, body);
    },
    '/stats/timeseries': (_req, res) => json(res, o.book.timeseries(o.now())),
  };
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
