/** subtensor's epoch index: epochs are offset by `netuid + 1` and last `tempo + 1` blocks. */
export function epochIndex(tempo: number, netuid: number, block: number): number {
  return Math.floor((block + netuid + 1) / (tempo + 1));
}

/** True when Yuma runs for the subnet at the end of this block (`blocks_until_next_epoch == 0`). */
export function isEpochBlock(tempo: number, netuid: number, block: number): boolean {
  return (block + netuid + 1) % (tempo + 1) === tempo;
}

/** Epoch blocks in `(from, to]`. */
export function epochsBetween(tempo: number, netuid: number, from: number, to: number): number {
  let n = 0;
  for (let b = from + 1; b <= to; b++) if (isEpochBlock(tempo, netuid, b)) n++;
  return n;
}

/** The first block after `block` at which Yuma runs. */
export function nextEpochBlock(tempo: number, netuid: number, block: number): number {
  let b = block + 1;
  while (!isEpochBlock(tempo, netuid, b)) b++;
  return b;
}
