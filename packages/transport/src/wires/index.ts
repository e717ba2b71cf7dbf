/**
 * `@subnetkit/transport/wires`: sign and verify requests on the wires beside the SDK ≤ 10
 * Synapse wire: btauth/1 (bittensor SDK 11's `http_auth`), Epistula v2 and Fiber (plain mode),
 * with the replay store they share. Pure functions over method, path, headers and body; the
 * axon and dendrite integration comes next (see the README's "Wires" sections).
 */
export * from './btauth.js';
export * from './epistula.js';
export * from './fiber.js';
export * from './replay.js';
export type { WireRefusal } from './shared.js';
