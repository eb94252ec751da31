import { CLIENT_ORDER_ID_PATTERN } from '@arb/venues';
import { clientOrderId, reportId, tradeKey } from './ids';

describe('ids', () => {
  it('trade keys are deterministic, `a` + 20 hex, and client order ids are venue-safe', () => {
    const k = tradeKey('opp_0123456789abcdef');
    expect(k).toMatch(/^a[0-9a-f]{20}$/);
    expect(tradeKey('opp_0123456789abcdef')).toBe(k);
    expect(tradeKey('opp_0123456789abcdeg')).not.toBe(k);
    for (const leg of ['b', 's', 'h1', 'h9', 'u1', 'u9'] as const) {
      const id = clientOrderId(k, leg);
      expect(id).toMatch(CLIENT_ORDER_ID_PATTERN);
      expect(id.slice(0, id.lastIndexOf('-'))).toBe(k);
    }
  });

  it('the report id is derived from the opportunity id (one journal entry per opportunity)', () => {
    expect(reportId('opp_x1')).toBe(reportId('opp_x1'));
    expect(reportId('opp_x1')).not.toBe(reportId('opp_x2'));
    expect(reportId('a'.repeat(64)).length).toBeLessThanOrEqual(96);
  });
});
