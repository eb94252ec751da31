import { CliUsageError, parseCli } from './cli';
import { selectScenarios, UnknownScenarioError } from './suite';

describe('parseCli', () => {
  it('defaults to the full form, all scenarios', () => {
    expect(parseCli([])).toEqual({ form: 'full', only: [], out: undefined, list: false, help: false, natsCluster: 1 });
  });

  it('reads --short, repeated and comma-separated --only, --out', () => {
    expect(parseCli(['--short', '--only', 'nats-restart,redis-restart', '--only', 'clock-skew', '--out', '/tmp/x'])).toMatchObject({
      form: 'short',
      only: ['nats-restart', 'redis-restart', 'clock-skew'],
      out: '/tmp/x',
    });
  });

  it('reads --nats-cluster and refuses sizes that cannot lose a node or are out of range', () => {
    expect(parseCli(['--nats-cluster', '3']).natsCluster).toBe(3);
    expect(() => parseCli(['--nats-cluster', '2'])).toThrow(/cannot lose a node/);
    expect(() => parseCli(['--nats-cluster', '6'])).toThrow(/1 to 5/);
    expect(() => parseCli(['--nats-cluster', 'x'])).toThrow(CliUsageError);
  });

  it('rejects unknown options', () => {
    expect(() => parseCli(['--fast'])).toThrow(CliUsageError);
  });
});

describe('selectScenarios', () => {
  it('keeps suite order and rejects unknown names', () => {
    expect(selectScenarios(['clock-skew', 'venue-freeze']).map((s) => s.name)).toEqual(['venue-freeze', 'clock-skew']);
    expect(() => selectScenarios(['no-such-fault'])).toThrow(UnknownScenarioError);
  });

  it('picks from the cluster scenarios on a cluster, and only there', () => {
    expect(selectScenarios([], 'full', 3).map((s) => s.name)).toEqual(['nats-leader-kill', 'nats-follower-kill', 'nats-split']);
    expect(selectScenarios(['nats-split'], 'full', 3).map((s) => s.name)).toEqual(['nats-split']);
    expect(() => selectScenarios(['nats-split'])).toThrow(/--nats-cluster/);
    expect(() => selectScenarios(['nats-restart'], 'full', 3)).toThrow(UnknownScenarioError);
  });
});
