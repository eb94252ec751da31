import { latencyRows, row } from '../lib/rows';
import { benchSettings, rateLabel } from '../settings';
import type { BenchModule, BenchRow } from '../types';
import { natsFloor } from './nats-floor';
import type { NatsHopResult } from './nats-hop';

const GROUP = 'floors';

function checks(r: NatsHopResult): string {
  const lost = r.sent - r.received;
  const parts = [`n=${r.pub.count}`, `${r.payloadBytes} B`];
  if (lost !== 0) parts.push(`LOST ${lost}`);
  if (r.invalid !== 0) parts.push(`INVALID ${r.invalid}`);
  if (r.pub.negative !== 0) parts.push(`${r.pub.negative} negative (clock skew)`);
  return parts.join(', ');
}

/** NATS publisher → subscriber on one local nats-server, subscriber in this process and in another one. */
export const natsFloorBench: BenchModule = {
  name: 'floors.nats',
  group: GROUP,
  description: 'NATS one-hop latency of a ~1.5 KB BookSnapshot at fixed rates, same process and cross process',
  async run(ctx) {
    const s = benchSettings(ctx.quick);
    const rows: BenchRow[] = [];
    const [first, ...others] = s.latencyRates;
    if (first === undefined) return rows;
    const same = await natsFloor(ctx, 'same-process', first);
    rows.push(...latencyRows(GROUP, `NATS hop same-process @${rateLabel(first)}`, same.pub, { note: checks(same) }));
    for (const rate of [first, ...others]) {
      const cross = await natsFloor(ctx, 'cross-process', rate);
      rows.push(
        ...latencyRows(GROUP, `NATS hop cross-process @${rateLabel(rate)}`, cross.pub, {
          baseline: same.pub,
          baselineName: `same-process @${rateLabel(first)}`,
          note: checks(cross),
        }),
      );
    }
    rows.push(
      row({ group: GROUP, name: 'BookSnapshot payload', value: same.payloadBytes, unit: 'B', note: 'JSON, top 20 per side' }),
    );
    return rows;
  },
};
