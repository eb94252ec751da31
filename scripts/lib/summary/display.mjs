import { ANSI, fit } from './format.mjs';
import { renderFrame, renderLine } from './render.mjs';

/** `tty` (in-place dashboard) when `out` is a terminal, else `plain` (log lines); `requested` forces one (or `off`). */
export function chooseSummaryMode(out, requested = 'auto') {
  if (requested === 'tty' || requested === 'plain' || requested === 'off') return requested;
  return out.isTTY ? 'tty' : 'plain';
}

/**
 * Shows a SummaryState while the stack runs, in exactly one way:
 * - `tty`: a dashboard redrawn in place every `refreshMs` on the terminal's alternate screen (cursor home, each line
 *   cleared to its end, the rest of the screen cleared), so nothing else may write to `out` meanwhile;
 * - `plain`: one `[summary] ...` line every `plainEveryMs`, between the services' own prefixed lines;
 * - `off`: nothing.
 * `stop()` ends it (and gives the terminal its normal screen and cursor back; also done on process exit).
 */
export class SummaryDisplay {
  constructor({ state, ctx, out = process.stdout, mode, refreshMs = 1000, plainEveryMs = 5000 }) {
    this.state = state;
    this.ctx = ctx;
    this.out = out;
    this.mode = mode ?? chooseSummaryMode(out);
    this.refreshMs = refreshMs;
    this.plainEveryMs = plainEveryMs;
    this.timer = undefined;
    this.screenOn = false;
    this.restore = () => {
      if (!this.screenOn) return;
      this.screenOn = false;
      this.out.write(`${ANSI.showCursor}${ANSI.altScreenOff}`);
    };
    this.redraw = () => this.draw();
  }

  start() {
    if (this.timer !== undefined || this.mode === 'off') return;
    if (this.mode === 'tty') {
      this.out.write(`${ANSI.altScreenOn}${ANSI.hideCursor}`);
      this.screenOn = true;
      process.once('exit', this.restore);
      this.out.on?.('resize', this.redraw);
      this.draw();
      this.timer = setInterval(this.redraw, this.refreshMs);
    } else {
      this.timer = setInterval(() => this.out.write(`${renderLine(this.state, this.ctx)}\n`), this.plainEveryMs);
    }
  }

  /** Draws one dashboard frame now (tty mode only). */
  draw() {
    if (!this.screenOn) return;
    const cols = this.out.columns > 0 ? this.out.columns : 120;
    const rows = this.out.rows > 0 ? this.out.rows : Infinity;
    const lines = renderFrame(this.state, this.ctx).slice(0, Math.max(1, rows - 1)).map((l) => fit(l, cols));
    this.out.write(`${ANSI.home}${lines.join(`${ANSI.clearLine}\n`)}${ANSI.clearLine}${ANSI.clearBelow}`);
  }

  stop() {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.out.off?.('resize', this.redraw);
    process.off('exit', this.restore);
    this.restore();
  }
}
