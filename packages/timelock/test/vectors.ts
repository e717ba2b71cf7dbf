/** Published drand quicknet data used as known answers. */

/**
 * Quicknet round 1000, from subtensor `pallets/drand/src/tests.rs` (`DRAND_PULSE`) and the tle
 * crate's `tlock_encrypt_decrypt_drand_quicknet_works` test
 * (https://api.drand.sh/52db9ba7…c84e971/public/1000).
 */
export const QUICKNET_ROUND_1000 = {
  round: 1000,
  signature:
    'b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39',
  randomness: 'fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd',
};

/**
 * Quicknet round 21000000 as quoted in a public test suite (a "real signature of another round"
 * fixture). It is only trusted because it verifies against the quicknet key in beacon.test.ts.
 */
export const QUICKNET_ROUND_21000000 = {
  round: 21_000_000,
  signature:
    '971cbe88adc436f6411fd26d51887ede7ba144264cd05edec6645b5e170a7702d16082947a85d89c89cb47cd8eb7d817',
  randomness: '36ecd957580ee415f951370e2a5e13273be97de9072418aaf14d38242979e3c1',
};

export function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.replace(/^0x/, ''), 'hex'));
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
