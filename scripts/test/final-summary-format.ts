/**
 * The line format of `npm start`'s final summary (scripts/lib/summary/final.mjs + final-stats.mjs, then start.mjs's
 * `stopped`), as a grammar: numbers, names and durations are placeholders, all other text is literal. The summary
 * test checks that what renderFinal prints parses with it, and that the README's sample does: so the two cannot drift
 * apart (change the printed format, and this file and the README's sample must follow).
 */

export interface LineRule {
  name: string;
  /** A regular expression for the whole line (anchored here), or a group of rules repeated together. */
  re?: string;
  group?: LineRule[];
  min?: number;
  max?: number;
}

const N = String.raw`\d+`;
const DEC = String.raw`-?\d+(?:\.\d+)?`;
/** A signed decimal, exact or rounded for display. */
const SDEC = String.raw`[+-]\d+(?:\.\d+)?`;
const OPT = (re: string): string => `(?:-|${re})`;
/** format.mjs ms(): `1.53 ms`, `25.3 ms`, `1.20 s`, or `-`. */
const MS = OPT(String.raw`\d+\.\d+ m?s`);
const PCT = OPT(String.raw`\d+\.\d%`);
/** format.mjs duration(): `22s`, `1m05s`, `2h01m05s`. */
const DUR = String.raw`(?:\d+h\d{2}m\d{2}s|\d+m\d{2}s|\d+s)`;
const SEC = String.raw`\d+\.\d s`;
const NAME = String.raw`[a-z][a-z0-9_-]*`;
const STATUSES = String.raw`[a-z]+ \d+(?:, [a-z]+ \d+)*`;
const USD = (amount: string): string => `${amount} USD`;
const COUNTER = OPT(N);

const STATS_BLOCK: LineRule[] = [
  { name: 'stats', re: `stats service: ${N} reports, net ${DEC} USD, success ${PCT}, journal seq ${N}` },
  {
    name: 'stats trades',
    re: `  opportunities ${N} · executed ${N}: successful ${N}, partial ${N}, recovered ${N}, failed ${N} · success rate ${PCT}`,
  },
  { name: 'stats money', re: `  volume ${USD(DEC)} · gross profit ${USD(SDEC)} · fees ${USD(DEC)} · net profit ${USD(SDEC)}` },
  {
    name: 'stats averages',
    re: `  avg profit ${OPT(USD(SDEC))} per executed trade, ${OPT(USD(SDEC))} per successful trade · profit rate ${OPT(`${SDEC} bps`)} of volume · ${OPT(USD(SDEC))} per hour`,
  },
  { name: 'stats execution', re: `  avg execution ${MS} · residual exposure ${OPT(USD(SDEC))}` },
  {
    name: 'stats uptime',
    re: `  uptime ${PCT}: trading possible ${SEC} of ${SEC} observed \\(blocked by feeds ${SEC}, executor ${SEC}, kill switch ${SEC}\\)`,
    min: 0,
  },
  {
    name: 'stats monitored',
    re: `  monitored: ${N} venues \\(${N} live\\), ${N} pairs on 2\\+ venues \\(${N} live\\), ${N} venue·symbol feeds \\(${N} live\\)`,
    min: 0,
  },
  {
    name: 'scope table',
    min: 0,
    group: [
      { name: 'scope header', re: ' {2}scope +executed +success +volume USD +net USD +profit bps' },
      {
        name: 'scope row',
        re: ` {2}(?:venue|route|symbol|variant) \\S+ +${N} +${PCT} +${DEC} +${SDEC} +${OPT(SDEC)}| {2}(?:venue|route|symbol|variant) … ${N} more`,
        max: Infinity,
      },
    ],
  },
];

export const FINAL_SUMMARY_FORMAT: LineRule[] = [
  { name: 'banner', re: '════════ final summary ════════' },
  { name: 'run', re: `mode (?:sim|paper|live) · ran ${DEC} s · stopped: .+` },
  { name: 'feeds', re: `feeds live: ${N}/${N} \\((?:${NAME} [a-z]+(?:, ${NAME} [a-z]+)*|no feed status received)\\)` },
  {
    name: 'feed',
    re:
      `  ${NAME} +[a-z]+ +${N}/${N} symbols live · (?:live for ${DUR}|not live) · ${COUNTER} updates · ` +
      `gaps ${COUNTER} · resyncs ${COUNTER} · reconnects ${COUNTER} · rejected ${COUNTER}`,
    min: 0,
    max: Infinity,
  },
  { name: 'opportunities', re: `opportunities detected: ${N} \\(this run, arb\\.opp\\.>\\) · book→opportunity p50 ${MS}, p99 ${MS}, max ${MS}` },
  { name: 'trades', re: `trades executed: ${N} of ${N} reports(?: \\(${STATUSES}\\))? \\[this run, (?:journal|live arb\\.exec\\.>)\\]` },
  { name: 'success', re: `success rate: ${PCT} \\(filled / executed\\)` },
  { name: 'pnl', re: `PnL: ${USD(SDEC)} \\(realized, this run\\)` },
  { name: 'execution', re: `execution time: p50 ${MS}, p99 ${MS}, max ${MS} · detection → orders sent p50 ${MS}, p99 ${MS}` },
  {
    name: 'journal',
    re: `journal ARB_EXECS: (?:up to seq ${N}; all runs ${N} reports, PnL ${USD(SDEC)}; ${N} invalid, ${N} duplicate ids|unreadable \\(.+\\)|no such stream \\(nothing was journaled\\))`,
  },
  { name: 'stats', min: 0, group: STATS_BLOCK },
  { name: 'stats absent', re: 'stats service: (?:not running|no answer \\(.+\\))', min: 0 },
  { name: 'match', re: 'stats match journal: (?:yes|NO \\(.+\\)|unknown \\(.+\\))' },
  { name: 'bad', re: `bad messages: ${N} \\(status ${N}, opportunity ${N}, execution ${N}\\)` },
  { name: 'services', re: `services: ${N} started, ${N} died(?:, all stopped cleanly| · .+)` },
  { name: 'result', re: `result: (?:clean run|NOT clean) \\(exit ${N}\\)` },
  { name: 'logs', re: 'service logs: .+', min: 0 },
  { name: 'stopped', re: 'stopped' },
];

/**
 * Lines that the rules do not account for: [] when `lines` parse, else where parsing stopped (the longest prefix
 * that parses, and the first line after it with the rules that could have come next).
 */
export function formatProblems(lines: readonly string[], rules: readonly LineRule[] = FINAL_SUMMARY_FORMAT): string[] {
  let furthest = -1;
  const seq = (rs: readonly LineRule[], i: number, at: number, k: (at: number) => boolean): boolean => {
    furthest = Math.max(furthest, at);
    if (i === rs.length) return k(at);
    const rule = rs[i] as LineRule;
    const min = rule.min ?? 1;
    const max = rule.max ?? 1;
    const rep = (count: number, pos: number): boolean => {
      // one more repetition first (greedy), then stop here if enough were matched
      if (count < max && one(rule, pos, (next) => next > pos && rep(count + 1, next))) return true;
      return count >= min && seq(rs, i + 1, pos, k);
    };
    return rep(0, at);
  };
  const one = (rule: LineRule, at: number, k: (at: number) => boolean): boolean => {
    if (rule.group !== undefined) return seq(rule.group, 0, at, k);
    const line = lines[at];
    return line !== undefined && new RegExp(`^(?:${rule.re})$`).test(line) && k(at + 1);
  };
  if (seq(rules, 0, 0, (at) => at === lines.length)) return [];
  const next = furthest < lines.length ? `line ${furthest + 1}: ${JSON.stringify(lines[furthest])}` : 'unexpected end';
  return [`parses up to line ${furthest} of ${lines.length}; ${next} matches no rule that may come there`];
}

/** The README's final-summary sample: the fenced block that starts with the banner. */
export function readmeSample(readme: string): string[] {
  const at = readme.indexOf('```\n════════ final summary ════════\n');
  if (at < 0) return [];
  const body = readme.slice(at + 4);
  return body.slice(0, body.indexOf('\n```')).split('\n');
}
