import type { BuildContext } from './context.js';
import type { TypeId } from './type-table.js';

export interface ExtrinsicTypes {
  extraType: TypeId;
  uncheckedExtrinsic: TypeId;
  signedExtensions: { identifier: string; type: TypeId; additionalSigned: TypeId }[];
}

/** The transaction extensions of spec 343, in order, with their explicit and implicit types. */
export function buildExtrinsicTypes(ctx: BuildContext): ExtrinsicTypes {
  const { t, c } = ctx;
  const T = [{ name: 'T' }];
  const TR = [{ name: 'T', type: c.runtime }];
  const empty = (path: string, params = T) => t.struct(path, [], params);
  const nonZero = empty('frame_system::extensions::check_non_zero_sender::CheckNonZeroSender');
  const spec = empty('frame_system::extensions::check_spec_version::CheckSpecVersion');
  const tx = empty('frame_system::extensions::check_tx_version::CheckTxVersion');
  const genesis = empty('frame_system::extensions::check_genesis::CheckGenesis');
  const mortality = t.struct(
    'frame_system::extensions::check_mortality::CheckMortality',
    [{ type: c.era, typeName: 'Era' }],
    T,
  );
  const nonce = t.struct(
    'node_subtensor_runtime::check_nonce::CheckNonce',
    [{ type: t.compact(c.u32), typeName: 'T::Nonce' }],
    T,
  );
  const weight = empty('frame_system::extensions::check_weight::CheckWeight');
  const payment = t.struct(
    'pallet_transaction_payment::ChargeTransactionPayment',
    [{ type: c.compactU64, typeName: 'BalanceOf<T>' }],
    T,
  );
  const paymentWrapper = t.struct(
    'node_subtensor_runtime::transaction_payment_wrapper::ChargeTransactionPaymentWrapper',
    [
      {
        name: 'charge_transaction_payment',
        type: payment,
        typeName: 'ChargeTransactionPayment<T>',
      },
    ],
    T,
  );
  const subtensor = empty(
    'pallet_subtensor::transaction_extension::SubtensorTransactionExtension',
    TR,
  );
  const drand = empty('pallet_drand::drand_priority::DrandPriority', TR);
  const mode = t.names('frame_metadata_hash_extension::Mode', ['Disabled', 'Enabled']);
  const metadataHash = t.struct(
    'frame_metadata_hash_extension::CheckMetadataHash',
    [{ name: 'mode', type: mode, typeName: 'Mode' }],
    T,
  );
  const extraType = t.tuple(
    nonZero,
    spec,
    tx,
    genesis,
    mortality,
    nonce,
    weight,
    paymentWrapper,
    subtensor,
    drand,
    metadataHash,
  );
  const uncheckedExtrinsic = t.struct(
    'sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic',
    [{ type: c.bytes }],
    [
      { name: 'Address', type: c.multiAddress },
      { name: 'Call', type: c.runtimeCall },
      { name: 'Signature', type: c.multiSignature },
      { name: 'Extra', type: extraType },
    ],
  );
  const unit = c.unit;
  const signedExtensions = [
    { identifier: 'CheckNonZeroSender', type: nonZero, additionalSigned: unit },
    { identifier: 'CheckSpecVersion', type: spec, additionalSigned: c.u32 },
    { identifier: 'CheckTxVersion', type: tx, additionalSigned: c.u32 },
    { identifier: 'CheckGenesis', type: genesis, additionalSigned: c.h256 },
    { identifier: 'CheckMortality', type: mortality, additionalSigned: c.h256 },
    { identifier: 'CheckNonce', type: nonce, additionalSigned: unit },
    { identifier: 'CheckWeight', type: weight, additionalSigned: unit },
    { identifier: 'ChargeTransactionPayment', type: payment, additionalSigned: unit },
    { identifier: 'SubtensorTransactionExtension', type: subtensor, additionalSigned: unit },
    { identifier: 'DrandPriority', type: drand, additionalSigned: unit },
    { identifier: 'CheckMetadataHash', type: metadataHash, additionalSigned: t.option(c.u8x32) },
  ];
  return { extraType, uncheckedExtrinsic, signedExtensions };
}
