/**
 * The wire settings as text (`--axon.wires synapse,btauth`, `--neuron.miner_wires
 * HOTKEY=epistula,...`), read into lists and maps with errors that name the bad entry.
 */
import { WIRE_NAMES, type WireName } from '@subnetkit/transport';

function isWire(name: string): name is WireName {
  return (WIRE_NAMES as readonly string[]).includes(name);
}

/** Why a wire list is wrong, or null. */
export function wireListProblem(text: string): string | null {
  const names = text.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) return 'a comma-separated list of wires, without empty entries';
  for (const n of names) {
    if (!isWire(n)) return `unknown wire "${n}" (known: ${WIRE_NAMES.join(', ')})`;
  }
  return null;
}

/** `synapse,btauth` → `['synapse', 'btauth']` (duplicates dropped, order kept). */
export function parseWireList(text: string): WireName[] {
  const problem = wireListProblem(text);
  if (problem) throw new TypeError(`wire list ${JSON.stringify(text)}: ${problem}`);
  return [...new Set(text.split(',').map((s) => s.trim() as WireName))];
}

const SS58 = /^[1-9A-HJ-NP-Za-km-z]{46,48}$/;

/** Why a `HOTKEY=wire,...` map is wrong, or null. */
export function minerWiresProblem(text: string): string | null {
  const seen = new Set<string>();
  for (const entry of text.split(',')) {
    const [hotkey, wire, extra] = entry.trim().split('=');
    if (!hotkey || wire === undefined || extra !== undefined) {
      return `entry "${entry.trim()}" is not HOTKEY=WIRE`;
    }
    if (!SS58.test(hotkey)) return `entry "${entry.trim()}": "${hotkey}" is not an ss58 hotkey`;
    if (!isWire(wire)) {
      return `entry "${entry.trim()}": unknown wire "${wire}" (known: ${WIRE_NAMES.join(', ')})`;
    }
    if (seen.has(hotkey)) return `hotkey ${hotkey} is listed twice`;
    seen.add(hotkey);
  }
  return null;
}

/** `HOTKEY=wire,...` → a map from hotkey to the wire it speaks. */
export function parseMinerWires(text: string | undefined): Map<string, WireName> {
  const out = new Map<string, WireName>();
  if (text === undefined || text.trim() === '') return out;
  const problem = minerWiresProblem(text);
  if (problem) throw new TypeError(`miner wires: ${problem}`);
  for (const entry of text.split(',')) {
    const [hotkey, wire] = entry.trim().split('=') as [string, WireName];
    out.set(hotkey, wire);
  }
  return out;
}
