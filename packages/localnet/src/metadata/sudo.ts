import type { BuildContext } from './context.js';
import { errorEnum, type PalletSpec, palletEnum, plain, v } from './pallet-spec.js';

/** pallet_sudo, index 12. //Alice holds the key on localnet, as on subtensor's localnet. */
export function buildSudo(ctx: BuildContext): PalletSpec {
  const { t, c } = ctx;
  return {
    name: 'Sudo',
    index: 12,
    calls: palletEnum(t, 'pallet_sudo::pallet::Call', [
      v('sudo', 0, [['call', c.runtimeCall]]),
      v('sudo_unchecked_weight', 1, [
        ['call', c.runtimeCall],
        ['weight', c.weight],
      ]),
      v('set_key', 2, [['new', c.multiAddress]]),
    ]),
    events: palletEnum(t, 'pallet_sudo::pallet::Event', [
      v('Sudid', 0, [['sudo_result', c.dispatchResult]]),
      v('KeyChanged', 1, [
        ['old', t.option(c.accountId)],
        ['new', c.accountId],
      ]),
      v('KeyRemoved', 2),
      v('SudoAsDone', 3, [['sudo_result', c.dispatchResult]]),
    ]),
    errors: errorEnum(t, 'pallet_sudo::pallet::Error', ['RequireSudo']),
    storage: [plain('Key', c.accountId, Uint8Array.of(0), true)],
  };
}
