import type { MarketBook } from '../model/market';
import type { Account } from '../trading/account';
import { f8 } from './order-json';

/**
 * One network per coin, shaped after GET /sapi/v1/capital/config/getall (wallet endpoints, "All Coins'
 * Information"): deposits and withdrawals are switched off, the sim moves no funds in or out.
 */
function network(coin: string): Record<string, unknown> {
  return {
    network: coin,
    coin,
    withdrawIntegerMultiple: '0.00000001',
    isDefault: true,
    depositEnable: false,
    withdrawEnable: false,
    depositDesc: 'Deposits are not available on the simulator',
    withdrawDesc: 'Withdrawals are not available on the simulator',
    specialTips: '',
    name: coin,
    resetAddressStatus: false,
    addressRegex: '',
    memoRegex: '',
    withdrawFee: '0',
    withdrawMin: '0',
    withdrawMax: '0',
    minConfirm: 1,
    unLockConfirm: 0,
    sameAddress: false,
    estimatedArrivalTime: 0,
    busy: false,
  };
}

/** GET /sapi/v1/capital/config/getall: every coin the account holds or a symbol trades, with its balances. */
export function capitalConfigJson(account: Account, books: ReadonlyMap<string, MarketBook>): Array<Record<string, unknown>> {
  const coins = new Set(account.balances().map((b) => b.asset));
  for (const mb of books.values()) coins.add(mb.inst.base).add(mb.inst.quote);
  return [...coins].sort().map((coin) => {
    const b = account.balance(coin);
    return {
      coin,
      depositAllEnable: false,
      withdrawAllEnable: false,
      name: coin,
      free: f8(b.free),
      locked: f8(b.locked),
      freeze: '0',
      withdrawing: '0',
      ipoing: '0',
      ipoable: '0',
      storage: '0',
      isLegalMoney: false,
      trading: true,
      networkList: [network(coin)],
    };
  });
}
