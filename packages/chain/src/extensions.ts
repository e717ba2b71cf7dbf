import { allExtensions } from '@polkadot/types/extrinsic/signedExtensions';
import type { Registry } from '@polkadot/types/types';
import { ChainError } from './errors.js';

/**
 * subtensor's own transaction extensions. Each is a `PhantomData` struct with `Implicit = ()`,
 * so it adds no bytes; we declare them empty to @polkadot/api to silence its warning. The
 * startup check below still verifies, from the metadata, that they really carry no data.
 */
export const SUBTENSOR_EMPTY_EXTENSIONS = [
  'SubtensorTransactionExtension',
  'DrandPriority',
  'SudoTransactionExtension',
  'CheckShieldedTxValidity',
  'SubtensorSignedExtension',
  'CommitmentsSignedExtension',
] as const;

export const SUBTENSOR_SIGNED_EXTENSIONS: Record<
  string,
  { extrinsic: Record<string, never>; payload: Record<string, never> }
> = Object.fromEntries(
  SUBTENSOR_EMPTY_EXTENSIONS.map((name) => [name, { extrinsic: {}, payload: {} }]),
);

export interface ExtensionReport {
  /** Every extension in the metadata, in order. */
  all: string[];
  /** Extensions @polkadot/api encodes itself. */
  known: string[];
  /** Extensions @polkadot/api does not know, whose explicit and implicit types are empty. */
  emptyUnknown: string[];
}

interface LookupLike {
  getTypeDef(id: unknown): { type: string; sub?: unknown; info?: unknown };
  getSiType(id: unknown): {
    def: {
      isTuple: boolean;
      asTuple: { length: number };
      isComposite: boolean;
      asComposite: { fields: { length: number } };
    };
  };
}

function isEmptyType(lookup: LookupLike, id: unknown): boolean {
  const si = lookup.getSiType(id);
  if (si.def.isTuple) return si.def.asTuple.length === 0;
  if (si.def.isComposite) return si.def.asComposite.fields.length === 0;
  return false;
}

interface ExtensionEntry {
  identifier: { toString(): string };
  type: unknown;
  implicit: unknown;
}

/** The chain's metadata object (`api.runtimeMetadata`), any version from 14 on. */
export interface VersionedMetadataLike {
  version: number;
  // biome-ignore lint/suspicious/noExplicitAny: versioned metadata codecs
  asV14?: any;
  // biome-ignore lint/suspicious/noExplicitAny: versioned metadata codecs
  asV15?: any;
  // biome-ignore lint/suspicious/noExplicitAny: versioned metadata codecs
  asV16?: any;
}

/**
 * The transaction extensions as the runtime declared them. Read from the metadata version
 * the node served: @polkadot/api's conversion to its "latest" form does not carry the
 * implicit (additional-signed) types over (they all come out as type 0).
 */
function extensionEntries(metadata: VersionedMetadataLike): ExtensionEntry[] {
  if (metadata.version >= 16) {
    // biome-ignore lint/suspicious/noExplicitAny: versioned metadata codecs
    return [...metadata.asV16.extrinsic.transactionExtensions].map((e: any) => ({
      identifier: e.identifier,
      type: e.type,
      implicit: e.implicit,
    }));
  }
  const versioned = metadata.version === 15 ? metadata.asV15 : metadata.asV14;
  // biome-ignore lint/suspicious/noExplicitAny: versioned metadata codecs
  return [...versioned.extrinsic.signedExtensions].map((e: any) => ({
    identifier: e.identifier,
    type: e.type,
    implicit: e.additionalSigned,
  }));
}

/**
 * Checks that every transaction extension in the chain's metadata is either one
 * @polkadot/api knows how to encode, or carries no data (empty explicit and implicit types).
 * A runtime upgrade that adds a data-carrying extension would otherwise make @polkadot/api
 * build transactions the node rejects (or worse, misreads): we fail loudly instead.
 */
export function checkTransactionExtensions(
  registry: Registry,
  metadata: VersionedMetadataLike,
): ExtensionReport {
  const lookup = registry.lookup as unknown as LookupLike;
  const report: ExtensionReport = { all: [], known: [], emptyUnknown: [] };
  const bad: string[] = [];
  for (const ext of extensionEntries(metadata)) {
    const name = ext.identifier.toString();
    report.all.push(name);
    if (Object.hasOwn(allExtensions, name)) {
      report.known.push(name);
      continue;
    }
    const explicitEmpty = isEmptyType(lookup, ext.type);
    const implicitEmpty = isEmptyType(lookup, ext.implicit);
    if (explicitEmpty && implicitEmpty) {
      report.emptyUnknown.push(name);
    } else {
      bad.push(
        `${name} (explicit ${lookup.getTypeDef(ext.type).type}, implicit ${lookup.getTypeDef(ext.implicit).type})`,
      );
    }
  }
  if (bad.length > 0) {
    throw new ChainError(
      'UNKNOWN_TX_EXTENSION',
      `the runtime uses transaction extensions that @polkadot/api does not know and that carry data: ${bad.join('; ')}. Transactions would be malformed; upgrade @polkadot/api or declare them.`,
      { details: { name: bad[0]?.split(' ')[0] as string } },
    );
  }
  return report;
}
