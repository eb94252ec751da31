/** Small text helpers shared by the live frame, the log lines and the final summary. */

export const ANSI = {
  home: '\x1b[H',
  clearLine: '\x1b[K',
  clearBelow: '\x1b[J',
  altScreenOn: '\x1b[?1049h',
  altScreenOff: '\x1b[?1049l',
  hideCursor: '\x1b[?25l',
  showCursor: '\x1b[?25h',
  bold: (s) => `\x1b[1m${s}\x1b[0m`,
  green: (s) => `\x1b[32m${s}\x1b[0m`,
  red: (s) => `\x1b[31m${s}\x1b[0m`,
  yellow: (s) => `\x1b[33m${s}\x1b[0m`,
};

const ESCAPE = /^\x1b\[[0-9;?]*[A-Za-z]/; // eslint-disable-line no-control-regex

/** Cuts `line` to `cols` visible characters, keeping ANSI sequences intact. */
export function fit(line, cols) {
  if (!(cols > 0)) return line;
  let out = '';
  let visible = 0;
  let styled = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\x1b') {
      const m = ESCAPE.exec(line.slice(i));
      if (m) {
        out += m[0];
        styled = true;
        i += m[0].length - 1;
        continue;
      }
    }
    if (visible >= cols) break;
    out += line[i];
    visible++;
  }
  return styled ? `${out}\x1b[0m` : out;
}

export function ms(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  if (Math.abs(v) < 10) return `${v.toFixed(2)} ms`;
  if (Math.abs(v) < 1000) return `${v.toFixed(1)} ms`;
  return `${(v / 1000).toFixed(2)} s`;
}

export function duration(msValue) {
  const s = Math.max(0, Math.floor(msValue / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m${String(sec).padStart(2, '0')}s` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

export const pct = (r) => (r === null || r === undefined ? '-' : `${(r * 100).toFixed(1)}%`);

/** A big.js value (or decimal string) as a signed USD amount: `+12.34 USD` (`places` digits; exact when omitted). */
export function usd(Big, value, places) {
  const b = new Big(value);
  const text = places === undefined ? b.toFixed() : b.toFixed(places);
  return `${b.gte(0) ? '+' : ''}${text} USD`;
}

/** A decimal string rounded half-up to `places` for display only (the value itself stays exact); '-' for none. */
export function round(Big, value, places = 2, signed = false) {
  if (value === null || value === undefined) return '-';
  let b;
  try {
    b = new Big(value);
  } catch {
    return '-';
  }
  const text = b.toFixed(places, Big.roundHalfUp);
  return signed && !text.startsWith('-') ? `+${text}` : text;
}

export function rate(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

/** `filled 12, hedged 3` in the given status order (unknown statuses last); '' when empty. */
export function statusList(byStatus, order, sep = ', ') {
  const keys = [...order.filter((s) => byStatus[s]), ...Object.keys(byStatus).filter((s) => !order.includes(s) && byStatus[s])];
  return keys.map((s) => `${s} ${byStatus[s]}`).join(sep);
}

export const clock = (ts) => new Date(ts).toTimeString().slice(0, 8);

export const pad = (s, n) => String(s).padEnd(n);
export const lpad = (s, n) => String(s).padStart(n);
