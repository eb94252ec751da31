export interface PromSample {
  readonly labels: ReadonlyMap<string, string>;
  readonly value: number;
}

/** Every sample of `metric` in a Prometheus text exposition (`name{a="b"} 12`), labels unescaped. */
export function promSamples(text: string, metric: string): PromSample[] {
  const out: PromSample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(metric)) continue;
    const rest = line.slice(metric.length);
    let labelText = '';
    let valueText: string;
    if (rest.startsWith('{')) {
      const end = rest.lastIndexOf('}');
      if (end < 0) continue;
      labelText = rest.slice(1, end);
      valueText = rest.slice(end + 1);
    } else if (rest.startsWith(' ')) {
      valueText = rest;
    } else {
      continue; // a longer metric name with the same prefix
    }
    const value = Number(valueText.trim().split(/\s+/)[0]);
    if (Number.isFinite(value)) out.push({ labels: parseLabels(labelText), value });
  }
  return out;
}

/** Sum of the samples of `metric` whose labels include all of `labels`; undefined when none matches. */
export function promValue(text: string, metric: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  let sum: number | undefined;
  for (const s of promSamples(text, metric)) {
    if (Object.entries(labels).every(([k, v]) => s.labels.get(k) === v)) sum = (sum ?? 0) + s.value;
  }
  return sum;
}

function parseLabels(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.set(m[1] as string, (m[2] as string).replace(/\\(.)/g, '$1'));
  return out;
}

/** GET a /metrics page (text), or throws. */
export async function fetchMetrics(url: string, timeoutMs = 2000): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.text();
}

/** Cumulative buckets of a Prometheus histogram (summed over label sets), sorted by bound; `le` +Inf last. */
export function promHistogram(text: string, metric: string): { le: number; count: number }[] {
  const byLe = new Map<number, number>();
  for (const s of promSamples(text, `${metric}_bucket`)) {
    const leText = s.labels.get('le');
    if (leText === undefined) continue;
    const le = leText === '+Inf' ? Number.POSITIVE_INFINITY : Number(leText);
    if (!Number.isNaN(le)) byLe.set(le, (byLe.get(le) ?? 0) + s.value);
  }
  return [...byLe.entries()].sort((a, b) => a[0] - b[0]).map(([le, count]) => ({ le, count }));
}

/** Bucket-wise difference of two cumulative histograms (after − before), e.g. over one measurement window. */
export function histogramDelta(after: readonly { le: number; count: number }[], before: readonly { le: number; count: number }[]): { le: number; count: number }[] {
  return after.map((b) => ({ le: b.le, count: b.count - (before.find((x) => x.le === b.le)?.count ?? 0) }));
}

/** Smallest bucket bound holding at least `q` (0..1) of the observations: an upper bound of that quantile. */
export function histogramQuantileBound(buckets: readonly { le: number; count: number }[], q: number): number | undefined {
  const total = buckets[buckets.length - 1]?.count ?? 0;
  if (total <= 0) return undefined;
  return buckets.find((b) => b.count >= q * total)?.le;
}

/** Share (0..1) of the observations at or below `le` (a bucket bound). */
export function histogramShareAtMost(buckets: readonly { le: number; count: number }[], le: number): number | undefined {
  const total = buckets[buckets.length - 1]?.count ?? 0;
  const at = buckets.find((b) => b.le === le)?.count;
  return total > 0 && at !== undefined ? at / total : undefined;
}
