import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { compactStripLength, hexToU8a } from '@polkadot/util';

/** The real spec-343 fixture, read in place (never copied into the repo). */
export const FIXTURE_DIR = fileURLToPath(
  new URL('../../../../shared/fixtures/subtensor-spec343/', import.meta.url),
);
const V15_FILE = `${FIXTURE_DIR}metadata-at-version-v15.hex`;

export const fixtureExists = existsSync(V15_FILE);
if (!fixtureExists) {
  console.warn(
    `[localnet] spec-343 fixture not found at ${FIXTURE_DIR}: fidelity tests are skipped`,
  );
}

export function loadRealMetadata(): { registry: TypeRegistry; metadata: Metadata } {
  const raw = hexToU8a(readFileSync(V15_FILE, 'utf8').trim());
  // Option<OpaqueMetadata>: 0x01 + compact length + metadata.
  const [, bytes] = compactStripLength(raw.subarray(1));
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, bytes);
  registry.setMetadata(metadata, undefined, {
    SubtensorTransactionExtension: { extrinsic: {}, payload: {} },
    DrandPriority: { extrinsic: {}, payload: {} },
  });
  return { registry, metadata };
}
