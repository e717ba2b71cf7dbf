/**
 * The JSON-RPC errors a Substrate node's author_* methods return (sc-rpc-api author errors):
 * the same codes, messages and `data` strings, so clients map them exactly as for subtensor.
 */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: string,
  ) {
    super(message);
  }
  toJSON(): { code: number; message: string; data?: string } {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

export const badFormat = (detail: string) =>
  new RpcError(1001, `Extrinsic has invalid format: ${detail}`);

/** 1010: InvalidTransaction. */
export const invalidTx = (data: string) => new RpcError(1010, 'Invalid Transaction', data);
export const INVALID = {
  badProof: () => invalidTx('Transaction has a bad signature'),
  stale: () => invalidTx('Transaction is outdated'),
  ancientBirthBlock: () => invalidTx('Transaction has an ancient birth block'),
  payment: () => invalidTx('Inability to pay some fees (e.g. account balance too low)'),
  custom: (n: number) => invalidTx(`Custom error: ${n}`),
} as const;

/** 1011: UnknownTransaction. */
export const unknownTx = (data: string) => new RpcError(1011, 'Unknown Transaction Validity', data);
export const UNKNOWN = {
  cannotLookup: () =>
    unknownTx('Could not lookup information required to validate the transaction'),
  noUnsignedValidator: () =>
    unknownTx('Could not find an unsigned validator for the unsigned transaction'),
} as const;

export const alreadyImported = () =>
  new RpcError(1013, 'Transaction Already Imported', 'The transaction is already in the pool.');
export const priorityTooLow = () =>
  new RpcError(
    1014,
    'Priority is too low: (0 vs 0)',
    'The transaction has too low priority to replace another transaction already in the pool.',
  );

/** subtensor spec 343 CustomTransactionError codes (pool-level rejections). */
export const CUSTOM = {
  ColdkeyInSwapSchedule: 0,
  StakeAmountTooLow: 1,
  BalanceTooLow: 2,
  SubnetNotExists: 3,
  HotkeyAccountDoesntExist: 4,
  NotEnoughStakeToWithdraw: 5,
  RateLimitExceeded: 6,
  InsufficientLiquidity: 7,
  SlippageTooHigh: 8,
  TransferDisallowed: 9,
  HotKeyNotRegisteredInNetwork: 10,
  InvalidIpAddress: 11,
  ServingRateLimitExceeded: 12,
  InvalidPort: 13,
  ZeroMaxAmount: 14,
  InvalidRevealRound: 15,
  CommitNotFound: 16,
  CommitBlockNotInRevealRange: 17,
  InputLengthsUnequal: 18,
  UidNotFound: 19,
  EvmKeyAssociateRateLimitExceeded: 20,
  BadRequest: 255,
} as const;
