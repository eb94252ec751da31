import { describeLoad, type ModuleOutcome } from '../runner';
import type { BenchRow } from '../types';
import type { RunMeta } from './run-meta';
import { formatNumber, formatRatio, formatTarget, formatValue, formatVerdict } from './format';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The run as Markdown: run facts, one table of every row (notes whole), then how busy the host was per module. */
export function renderMarkdown(meta: RunMeta, rows: readonly BenchRow[], outcomes: readonly ModuleOutcome[] = []): string {
  const lines = [
    '# Benchmark results',
    '',
    `- run: ${meta.startedAt} (${meta.seconds.toFixed(0)} s, ${meta.quick ? 'quick' : 'full'}${meta.heavy === true ? ', heavy' : ''}${meta.soakSeconds !== undefined ? `, soak ${meta.soakSeconds} s` : ''}${meta.only.length > 0 ? `, only ${meta.only.join(',')}` : ''}), commit ${meta.commit ?? 'unknown'}`,
    `- command: \`npm run bench${meta.args !== undefined && meta.args.length > 0 ? ` -- ${meta.args.join(' ')}` : ''}\``,
    `- host: ${meta.host.cpus} x ${meta.host.cpuModel}, ${meta.host.memoryGb.toFixed(0)} GB, load average ${meta.host.loadAverage.map((l) => l.toFixed(2)).join(' ')} at start; Node ${meta.host.node}`,
    '- ratios are value / baseline, both measured in this run on this machine; latencies in ms',
    '',
    '| group | benchmark | value | unit | baseline | ratio | target | | note |',
    '|---|---|--:|---|---|--:|---|---|---|',
  ];
  for (const r of rows) {
    const baseline = r.baseline === undefined ? '' : `${formatNumber(r.baseline)}${r.baselineName ? ` (${r.baselineName})` : ''}`;
    lines.push(
      `| ${[r.group, r.name, formatValue(r), r.unit, baseline, formatRatio(r), formatTarget(r), formatVerdict(r), r.note].map(cell).join(' | ')} |`,
    );
  }
  if (outcomes.length > 0) {
    lines.push('', 'Per module (the host is shared: a busy host inflates every latency tail, floors included):', '');
    for (const o of outcomes) {
      lines.push(`- ${o.module}: ${o.status}, ${o.seconds.toFixed(1)} s${o.host !== undefined ? `, ${describeLoad(o.host)}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
