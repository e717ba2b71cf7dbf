/**
 * What has and has not been shown about byte compatibility with the subtensor mainnet runtime.
 * Chain code must print `notice` when it submits timelocked weights while
 * `verifiedAgainstMainnet` is false. Evidence is listed in the package README.
 */
export interface CompatibilityStatus {
  /** A ciphertext from this package was revealed by a real subtensor node. */
  readonly verifiedAgainstMainnet: boolean;
  /** Cross-checked both ways against the reference `tle` Rust code (compiled to wasm). */
  readonly verifiedAgainstReference: boolean;
  /** Decrypted with, and beacons verified against, real drand quicknet signatures. */
  readonly verifiedAgainstQuicknet: boolean;
  /** One line to log at run time. */
  readonly notice: string;
}

export const MAINNET_COMPATIBILITY: CompatibilityStatus = Object.freeze({
  verifiedAgainstMainnet: false,
  verifiedAgainstReference: true,
  verifiedAgainstQuicknet: true,
  notice:
    'timelocked weights: unverified against mainnet (ciphertexts are cross-checked against the ' +
    'reference tle code built to wasm with arkworks 0.4.2 and open with real drand quicknet ' +
    'signatures, but no commit from this code has been revealed by a subtensor node yet)',
});
