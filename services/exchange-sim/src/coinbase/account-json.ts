import Big from 'big.js';
import type { Account } from '../trading/account';
import { stableUuid } from '../trading/account';
import type { FeePolicy } from '../trading/fees';
import type { SimOrder } from '../trading/order';
import { accountCurrencyJson, isFiat } from './currencies';

/** One account of GET /v2/accounts (Coinbase App API): `balance.amount` is the total (available + on hold). */
export function v2AccountJson(account: Account, asset: string): Record<string, unknown> {
  const b = account.balance(asset);
  const id = stableUuid(`${account.key}/${asset}`);
  const ts = new Date(account.updatedTs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    id,
    name: `${asset} Wallet`,
    primary: false,
    type: isFiat(asset) ? 'fiat' : 'wallet',
    currency: accountCurrencyJson(asset),
    balance: { amount: new Big(b.free).plus(b.locked).toFixed(), currency: asset },
    created_at: ts,
    updated_at: ts,
    resource: 'account',
    resource_path: `/v2/accounts/${id}`,
    allow_deposits: false,
    allow_withdrawals: false,
  };
}

/**
 * GET /api/v3/brokerage/transaction_summary: the account's traded volume and fees (quote units, all products) and
 * its fee tier (the sim's configured taker/maker rates). Volumes and fees are JSON numbers, as documented.
 */
export function transactionSummaryJson(orders: SimOrder[], fees: FeePolicy): Record<string, unknown> {
  let volume = new Big(0);
  let paid = new Big(0);
  for (const o of orders) {
    volume = volume.plus(o.filledQuote);
    paid = paid.plus(o.fee);
  }
  return {
    total_volume: Number(volume.toFixed()),
    total_fees: Number(paid.toFixed()),
    fee_tier: { pricing_tier: 'Advanced 1', usd_from: '0', usd_to: '10000', taker_fee_rate: fees.rate.toFixed(), maker_fee_rate: fees.makerRate.toFixed(), aop_from: '', aop_to: '' },
    margin_rate: null,
    goods_and_services_tax: null,
    advanced_trade_only_volume: Number(volume.toFixed()),
    advanced_trade_only_fees: Number(paid.toFixed()),
    coinbase_pro_volume: 0,
    coinbase_pro_fees: 0,
    total_balance: '',
    has_promo_fee: false,
  };
}
