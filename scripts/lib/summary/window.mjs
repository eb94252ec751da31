/** The last `size` samples of a latency (ms), with count/percentiles over them. */
export class SampleWindow {
  constructor(size = 2048) {
    this.size = size;
    this.samples = [];
    this.next = 0;
    this.total = 0;
  }

  add(value) {
    if (!Number.isFinite(value)) return;
    this.total++;
    if (this.samples.length < this.size) this.samples.push(value);
    else this.samples[this.next] = value;
    this.next = (this.next + 1) % this.size;
  }

  /** `{ n, p50, p99, max }` over the kept samples (nulls when empty). */
  stats() {
    if (this.samples.length === 0) return { n: this.total, p50: null, p99: null, max: null };
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { n: this.total, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] };
  }
}

/** Per-second rate of a monotonic counter over the last `spanMs` (a counter that goes down restarts the window). */
export class CounterRate {
  constructor(spanMs = 5000) {
    this.spanMs = spanMs;
    this.points = [];
  }

  add(ts, value) {
    const last = this.points[this.points.length - 1];
    if (last && value < last.value) this.points = [];
    this.points.push({ ts, value });
    while (this.points.length > 2 && ts - this.points[1].ts >= this.spanMs) this.points.shift();
  }

  perSec() {
    const first = this.points[0];
    const last = this.points[this.points.length - 1];
    if (!first || !last || last.ts <= first.ts) return null;
    return ((last.value - first.value) * 1000) / (last.ts - first.ts);
  }
}
