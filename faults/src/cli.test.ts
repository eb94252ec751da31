import { CliUsageError, parseCli } from './cli';
import { selectScenarios, UnknownScenarioError } from './suite';

describe('parseCli', () => {
  it('defaults to the full form, all scenarios', () => {
    expect(parseCli([])).toEqual({ form: 'full', only: [], out: undefined, list: false, help: false });
  });

  it('reads --short, repeated and comma-separated --only, --out', () => {
    expect(parseCli(['--short', '--only', 'nats-restart,redis-restart', '--only', 'clock-skew', '--out', '/tmp/x'])).toMatchObject({
      form: 'short',
      only: ['nats-restart', 'redis-restart', 'clock-skew'],
      out: '/tmp/x',
    });
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
});
