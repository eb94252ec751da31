import { workspace } from '../workspace.mjs';
import { fetchJson, within } from './bus.mjs';

/** The ARB_EXECS stream's info, or null when it does not exist (yet). */
async function journalInfo(nc) {
  const { jetstream, contracts } = workspace();
  const jsm = await jetstream.jetstreamManager(nc);
  try {
    return await jsm.streams.info(contracts.streams.executions.name);
  } catch (error) {
    if (error instanceof jetstream.JetStreamApiError && error.code === jetstream.JetStreamApiCodes.StreamNotFound) return null;
    throw error;
  }
}

/** Last sequence of the journal (0 when empty or missing): the start mark of a run. */
export async function journalLastSeq(nc) {
  const info = await journalInfo(nc);
  return info === null || info.state.messages === 0 ? 0 : info.state.last_seq;
}

const totals = (Big) => ({ reports: 0, byStatus: {}, pnlUsd: new Big(0) });

/** A correcting report (`corrects`) adds money to a trade counted before: no report or status count, like stats. */
function add(t, report) {
  if (report.corrects === undefined) {
    t.reports++;
    t.byStatus[report.status] = (t.byStatus[report.status] ?? 0) + 1;
  }
  t.pnlUsd = t.pnlUsd.plus(report.realizedPnlUsd);
}

/**
 * Reads the whole trade journal (stream ARB_EXECS) with an ordered consumer, validating each message with the
 * contracts' ExecutionReport validator and counting each report id once (like the stats service). Returns
 * `{ exists, lastSeq, messages, invalid, duplicates, all, run }` where `all` covers every report and `run` those
 * after `fromSeq`; each is `{ reports, byStatus, pnlUsd: Big }`.
 */
export async function readJournal(nc, { fromSeq = 0, timeoutMs = 15_000 } = {}) {
  const { jetstream, contracts, Big } = workspace();
  const out = { exists: false, lastSeq: 0, messages: 0, invalid: 0, duplicates: 0, all: totals(Big), run: totals(Big) };
  const info = await within(5000, 'ARB_EXECS info', journalInfo(nc));
  if (info === null) return out;
  out.exists = true;
  out.lastSeq = info.state.messages === 0 ? 0 : info.state.last_seq;
  if (out.lastSeq === 0) return out;
  const js = jetstream.jetstream(nc);
  const consumer = await js.consumers.get(contracts.streams.executions.name, { deliver_policy: jetstream.DeliverPolicy.All });
  const messages = await consumer.consume({ max_messages: 1000 });
  const seen = new Set();
  const read = (async () => {
    for await (const m of messages) {
      out.messages++;
      let report;
      try {
        report = contracts.validators.ExecutionReport.decode(m.data);
      } catch {
        out.invalid++;
      }
      if (report && seen.has(report.id)) out.duplicates++;
      else if (report) {
        seen.add(report.id);
        add(out.all, report);
        if (m.seq > fromSeq) add(out.run, report);
      }
      if (m.seq >= out.lastSeq) break;
    }
  })();
  try {
    await within(timeoutMs, `reading ARB_EXECS up to seq ${out.lastSeq}`, read);
  } finally {
    messages.stop();
  }
  return out;
}

/** `/stats` once the stats service has read the journal up to `lastSeq` (or its last answer after `timeoutMs`). */
export async function statsCaughtUp(url, lastSeq, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  let lastError;
  while (Date.now() < deadline) {
    try {
      last = await fetchJson(url);
      if ((last?.journal?.lastSeq ?? -1) >= lastSeq) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (last) return last;
  throw lastError ?? new Error('no answer');
}

/**
 * Compares the stats service's totals with the journal read directly: position, report count, invalid count,
 * count per status and net PnL (exact). Returns `{ match, differences: string[] }`.
 */
export function compareWithJournal(stats, journal) {
  const { Big } = workspace();
  const diffs = [];
  const o = stats?.overall ?? {};
  const j = stats?.journal ?? {};
  const check = (what, statsValue, journalValue) => {
    if (statsValue !== journalValue) diffs.push(`${what}: stats ${statsValue} vs journal ${journalValue}`);
  };
  check('journal position', j.lastSeq, journal.lastSeq);
  check('reports', o.reports, journal.all.reports);
  check('invalid messages', j.invalid, journal.invalid);
  const statuses = new Set([...Object.keys(o.byStatus ?? {}), ...Object.keys(journal.all.byStatus)]);
  for (const s of statuses) check(`status ${s}`, o.byStatus?.[s] ?? 0, journal.all.byStatus[s] ?? 0);
  let pnlEqual = false;
  try {
    pnlEqual = new Big(o.netProfitUsd).eq(journal.all.pnlUsd);
  } catch {
    // not a decimal: a difference
  }
  if (!pnlEqual) diffs.push(`net PnL: stats ${o.netProfitUsd} vs journal ${journal.all.pnlUsd.toFixed()} USD`);
  return { match: diffs.length === 0, differences: diffs };
}
