// The live and final summary of `npm start` (scripts/start.mjs). Public entry: re-exports only.
//   SummaryState      what is known: feeds (md.status.*), opportunities (arb.opp.>), trades (arb.exec.>), /stats
//   SummaryDisplay    shows it: in-place dashboard on a terminal, `[summary]` lines every 5 s otherwise, never both
//   connectSummaryBus core NATS subscriptions feeding a SummaryState
//   pollStats         the stats service's /stats JSON into a SummaryState
//   readJournal, journalLastSeq, statsCaughtUp, compareWithJournal   the FINAL check: stats totals vs ARB_EXECS
//   renderFrame, renderLine, renderFinal                             the texts
export { SummaryState, NOT_EXECUTED, SUCCESS } from './summary/state.mjs';
export { SummaryDisplay, chooseSummaryMode } from './summary/display.mjs';
export { renderFrame, renderLine } from './summary/render.mjs';
export { renderFinal } from './summary/final.mjs';
export { connectSummaryBus, pollStats, fetchJson, within } from './summary/bus.mjs';
export { readJournal, journalLastSeq, statsCaughtUp, compareWithJournal } from './summary/journal.mjs';
