import type { Registry } from '@polkadot/types/types';
import { ChainError } from './errors.js';

/**
 * subtensor's `CustomTransactionError` (common/src/transaction_error.rs): the `N` of a pool
 * rejection "1010: Invalid Transaction: Custom error: N". These numbers are part of the node's
 * RPC contract (they are not metadata indices), so a table is the only way to name them.
 */
export const CUSTOM_TX_ERRORS: Readonly<Record<number, string>> = {
  0: 'ColdkeyInSwapSchedule',
  1: 'StakeAmountTooLow',
  2: 'BalanceTooLow',
  3: 'SubnetNotExists',
  4: 'HotkeyAccountDoesntExist',
  5: 'NotEnoughStakeToWithdraw',
  6: 'RateLimitExceeded',
  7: 'InsufficientLiquidity',
  8: 'SlippageTooHigh',
  9: 'TransferDisallowed',
  10: 'HotKeyNotRegisteredInNetwork',
  11: 'InvalidIpAddress',
  12: 'ServingRateLimitExceeded',
  13: 'InvalidPort',
  14: 'ZeroMaxAmount',
  15: 'InvalidRevealRound',
  16: 'CommitNotFound',
  17: 'CommitBlockNotInRevealRange',
  18: 'InputLengthsUnequal',
  19: 'UidNotFound',
  20: 'EvmKeyAssociateRateLimitExceeded',
  21: 'ColdkeySwapDisputed',
  22: 'InvalidRealAccount',
  23: 'FailedShieldedTxParsing',
  24: 'InvalidShieldedTxPubKeyHash',
  25: 'NonAssociatedColdKey',
  26: 'DelegateTakeTooLow',
  27: 'DelegateTakeTooHigh',
  255: 'BadRequest',
};

/** Plain-language hints for the errors miners and validators meet most. */
const HINTS: Readonly<Record<string, string>> = {
  SettingWeightsTooFast: 'weights were set too recently; wait for the weights rate limit',
  CommittingWeightsTooFast: 'weights were committed too recently; wait for the rate limit',
  RateLimitExceeded: 'rate limit exceeded (weights, commits or subnet creation); wait and retry',
  HotKeyNotRegisteredInSubNet: 'the hotkey is not registered on this subnet',
  HotKeyNotRegisteredInNetwork: 'the hotkey is not registered on this subnet',
  UidNotFound: 'the hotkey has no uid on this subnet',
  NotRegistered: 'the hotkey is not registered',
  NotEnoughStakeToSetWeights: 'the hotkey has less stake than the subnet requires to set weights',
  StakeAmountTooLow: 'the stake amount (or the stake to set weights) is too low',
  NeuronNoValidatorPermit: 'the neuron has no validator permit',
  IncorrectWeightVersionKey: 'version_key is lower than the subnet weights_version',
  WeightVecLengthIsLow: 'fewer weights than the subnet min_allowed_weights',
  MaxWeightExceeded: 'a normalised weight exceeds the subnet max_weights_limit',
  DuplicateUids: 'the uid list has duplicates',
  UidVecContainInvalidOne: 'a uid does not exist on the subnet',
  CommitRevealEnabled: 'commit-reveal is on for this subnet: commit and reveal instead',
  CommitRevealDisabled: 'commit-reveal is off for this subnet: set weights directly',
  NoWeightsCommitFound: 'no weight commit found to reveal',
  RevealTooEarly: 'the reveal epoch has not started yet',
  ExpiredWeightCommit: 'the commit expired before it was revealed',
  InvalidRevealCommitHashNotMatch: 'the reveal does not match the committed hash',
  TooManyUnrevealedCommits: 'too many unrevealed commits (10 at most)',
  ServingRateLimitExceeded: 'the axon was served too recently; wait for the serving rate limit',
  InvalidIpAddress: 'the ip address is refused by the chain',
  InvalidIpType: 'the ip type must be 4 or 6',
  InvalidPort: 'port 0 is refused by the chain',
  HotKeyAlreadyRegisteredInSubNet: 'the hotkey is already registered on this subnet',
  SubNetRegistrationDisabled: 'registration is disabled on this subnet',
  NotEnoughBalanceToStake: 'the coldkey balance is too low',
  BalanceTooLow: 'the coldkey balance is too low',
  NonAssociatedColdKey: 'the hotkey belongs to another coldkey',
  SubtokenDisabled: 'the subnet has not been started (start_call) yet',
  SubnetNotExists: 'the subnet does not exist',
  NoNeuronIdAvailable: 'no uid is available on the subnet',
  AmountTooLow: 'the amount is below the minimum',
  SlippageTooHigh: 'the price moved beyond the slippage limit',
  InsufficientLiquidity: 'the subnet pool has insufficient liquidity',
  InsufficientBalance: 'the account balance is too low',
  PriorityTooLow: 'a transaction with the same nonce is already in the pool',
  Stale: 'the nonce is outdated (a transaction with this nonce was already included)',
  Payment: 'the account cannot pay the transaction fee',
  BadProof: 'the signature does not verify (wrong genesis, runtime or key)',
};

export function errorHint(name: string): string | undefined {
  return HINTS[name];
}

interface DispatchErrorLike {
  isModule: boolean;
  asModule: unknown;
  type: string;
  toString(): string;
}

/**
 * Decodes a `DispatchError` from an `ExtrinsicFailed` event into a `ChainError`.
 * Module errors are named through the metadata of the runtime that produced them
 * (`registry.findMetaError`) and never by index.
 */
export function decodeDispatchError(
  registry: Registry,
  dispatchError: DispatchErrorLike,
  context: { txHash?: string; blockHash?: string } = {},
): ChainError {
  if (dispatchError.isModule) {
    // biome-ignore lint/suspicious/noExplicitAny: findMetaError takes the ModuleError codec
    const meta = registry.findMetaError(dispatchError.asModule as any);
    const docs = meta.docs.join(' ').trim();
    const hint = HINTS[meta.name];
    return new ChainError(
      'MODULE_ERROR',
      `${meta.section}.${meta.name}: ${hint ?? (docs || 'no description in metadata')}`,
      { details: { section: meta.section, name: meta.name, docs, ...context } },
    );
  }
  const json = dispatchError.toString();
  const name = dispatchError.type;
  return new ChainError('DISPATCH_ERROR', `dispatch failed: ${name} ${json}`, {
    details: {
      name,
      ...context,
    },
  });
}

const POOL_REASONS: ReadonlyArray<[RegExp, string]> = [
  [/Transaction is outdated/i, 'Stale'],
  [/Transaction will be valid in the future/i, 'Future'],
  [/Inability to pay some fees/i, 'Payment'],
  [/Transaction has a bad signature/i, 'BadProof'],
  [/Transaction call is not expected/i, 'Call'],
  [/Transaction has an ancient birth block/i, 'AncientBirthBlock'],
  [/would exhaust the resources/i, 'ExhaustsResources'],
  [/Priority is too low/i, 'PriorityTooLow'],
  [/already imported/i, 'AlreadyImported'],
  [/temporarily banned/i, 'TemporarilyBanned'],
];

/**
 * Maps an RPC error from `author_submit*` to a `ChainError`:
 * "1010: Invalid Transaction: Custom error: N" → `POOL_REJECTED` named by subtensor's
 * `CustomTransactionError` N; other pool reasons by their substrate name. Anything else
 * stays an `RPC_ERROR`.
 */
export function mapSubmitError(error: unknown, txHash?: string): ChainError {
  if (error instanceof ChainError) return error;
  const err = error as { message?: string; code?: number; data?: unknown };
  const message = String(err?.message ?? error);
  const data = typeof err?.data === 'string' ? err.data : '';
  const text = `${message} ${data}`;
  const codeMatch = /^(\d{4}):/.exec(message);
  const rpcCode = typeof err?.code === 'number' ? err.code : codeMatch ? Number(codeMatch[1]) : 0;
  const custom = /Custom error:\s*(\d+)/i.exec(text);
  if (custom) {
    const customCode = Number(custom[1]);
    const name = CUSTOM_TX_ERRORS[customCode] ?? `Custom${customCode}`;
    const hint = HINTS[name] ?? 'rejected by the subtensor transaction extension';
    return new ChainError('POOL_REJECTED', `transaction rejected by the pool: ${name}: ${hint}`, {
      details: {
        name,
        customCode,
        rpcCode,
        ...(txHash ? { txHash } : {}),
      },
    });
  }
  if (rpcCode >= 1010 && rpcCode <= 1019) {
    const found = POOL_REASONS.find(([re]) => re.test(text));
    const name = found ? found[1] : 'InvalidTransaction';
    const hint = HINTS[name];
    return new ChainError(
      'POOL_REJECTED',
      `transaction rejected by the pool: ${name}${hint ? `: ${hint}` : ''} (${message})`,
      { details: { name, rpcCode, ...(txHash ? { txHash } : {}) }, cause: error },
    );
  }
  return new ChainError('RPC_ERROR', `RPC error: ${message}`, {
    details: {
      ...(rpcCode ? { rpcCode } : {}),
      ...(txHash ? { txHash } : {}),
    },
    cause: error,
  });
}
