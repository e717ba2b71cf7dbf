import type { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import type { Keypair } from '@subnetkit/wallet';
import type { Localnet } from '../src/index.js';

/** Builds a signed v4 extrinsic (immortal era) with the chain's registry, as polkadot-js signs. */
export function signCall(
  net: Localnet,
  pair: Keypair,
  section: string,
  method: string,
  args: unknown[],
  nonce: number,
): Uint8Array {
  const registry = net.metadata.registry as TypeRegistry;
  const tx = registry.createType(
    'Extrinsic',
    registry.findMetaCall(callIndexOf(net, section, method))(...args),
  );
  const genesis = u8aToHex(net.chain.genesisHash);
  const payload = {
    address: pair.ss58Address,
    blockHash: genesis,
    blockNumber: 0,
    era: '0x00',
    genesisHash: genesis,
    method: tx.method.toHex(),
    nonce,
    signedExtensions: registry.signedExtensions,
    specVersion: net.metadata.facts.specVersion,
    tip: 0,
    transactionVersion: net.metadata.facts.transactionVersion,
    version: 4,
    mode: 0,
  };
  const raw = registry
    .createType('ExtrinsicPayload', payload, { version: 4 })
    .toU8a({ method: true });
  const message = raw.length > 256 ? blake2AsU8a(raw, 256) : raw;
  const signature = Uint8Array.of(1, ...pair.sign(message));
  tx.addSignature(pair.ss58Address, signature, payload as never);
  return tx.toU8a();
}

function callIndexOf(net: Localnet, section: string, method: string): Uint8Array {
  const tx = net.metadata.metadata.asLatest.pallets.find(
    (p) => p.name.toString().toLowerCase() === section.toLowerCase(),
  );
  if (!tx || tx.calls.isNone) throw new Error(`no pallet ${section}`);
  const variants = net.metadata.registry.lookup.getSiType(tx.calls.unwrap().type).def.asVariant
    .variants;
  const v = variants.find((x) => x.name.toString() === method);
  if (!v) throw new Error(`no call ${section}.${method}`);
  return Uint8Array.of(tx.index.toNumber(), v.index.toNumber());
}
