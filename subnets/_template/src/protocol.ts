/**
 * The template's protocol, shared by the miner and the validator.
 *
 * Wire-identical to the Python `bittensor-subnet-template`'s `Dummy` synapse
 * (`template/protocol.py`), so that template's validator can query this miner and this
 * validator can query its miner:
 *
 * ```python
 * class Dummy(bt.Synapse):
 *     dummy_input: int                            # required: sent as bt_header_input_obj_dummy_input
 *     dummy_output: typing.Optional[int] = None   # filled by the miner
 * ```
 *
 * The Python class declares no `required_hash_fields`, so its body hash covers nothing and is
 * the same constant for every request: the signature does not protect `dummy_input`. We keep it
 * that way here only to stay compatible with the Python template. **When you copy this
 * template, declare `hashFields` for your inputs** (and `required_hash_fields` with the same
 * names, in the same order, on any Python peer), so a tampered body is refused with 401.
 */
import { defineSynapse } from '@subnetkit/transport';
import { z } from 'zod';

export const Dummy = defineSynapse({
  name: 'Dummy',
  input: { dummy_input: z.int() },
  output: { dummy_output: z.int().nullable() },
});

export type DummySynapse = typeof Dummy;
