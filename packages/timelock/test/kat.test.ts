import { describe, expect, it } from 'vitest';
import { decodeWeightsPayload, decrypt, openTimelockedCommit, toHex } from '../src/index.js';
import { hexToBytes, QUICKNET_ROUND_1000 } from './vectors.js';

/**
 * Frozen known-answer vector: this ciphertext was produced by the reference implementation
 * (`timelock::tlock::tle::<TinyBLS381, AESGCMStreamCipherProvider>` in
 * @ideallabs/timelock_wasm_wrapper@1.0.0, arkworks 0.4.2) for drand quicknet round 1000 with
 * identity sha256(1000u64 BE) and a random AES key, then serialized with `serialize_compressed`.
 * The plaintext is a `WeightsTlockPayload` for Alice's hotkey. It must keep opening with the real
 * round-1000 quicknet signature even if the reference package is removed.
 */
const REFERENCE_CIPHERTEXT =
  'b6a832d16ab3bf4131a9350fafa97ca079b481bed9cf92d58a74de40ef2e94732a7b173f53f731ca443c2d4a0e1354e011073b4efe1d3f2040f3aadf0ef17dc00459b9aea062ccdc79c145fc3b0f7c35439f66ac64f71ea91960b6503d7db8e72000000000000000b20ea01c1037b87bea6a28e458c05b727012fd49d536f6ca496bfffc8560c05d2000000000000000289d80b511d2bc98967234c39f0abd1bae1195b97ba8f2770333ed765ef5c0f563000000000000004700000000000000c189cf9000e67ddc03052ceef5095f13bec29ad16146768343bcc035a046a3066cdd4c34daf6045e159d5a4344191a8775b58e0fe4911b1409d36fb94683ef506de1a951e076490c00000000000000120b6b8edb5c3e9adce6fd9908000000000000004145535f47434d5f';
const ALICE = 'd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d';
const PAYLOAD = `80${ALICE}0c0000010002000cffff008001000000000000000000`;

describe('known answer: reference ciphertext for quicknet round 1000', () => {
  it('opens with the real drand signature to the expected payload', () => {
    const plaintext = decrypt(REFERENCE_CIPHERTEXT, QUICKNET_ROUND_1000.signature);
    expect(toHex(plaintext)).toBe(PAYLOAD);
    expect(decodeWeightsPayload(plaintext, ALICE)).toEqual({
      format: 'current',
      uids: [0, 1, 2],
      values: [65535, 32768, 1],
      versionKey: 0n,
    });
  });

  it('is revealed for Alice and refused for another committer, as subtensor does', () => {
    const sig = hexToBytes(QUICKNET_ROUND_1000.signature);
    expect(openTimelockedCommit(REFERENCE_CIPHERTEXT, sig, ALICE).uids).toEqual([0, 1, 2]);
    expect(() => openTimelockedCommit(REFERENCE_CIPHERTEXT, sig, '00'.repeat(32))).toThrow(
      /different hotkey/,
    );
  });
});
