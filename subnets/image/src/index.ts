// @subnetkit/subnet-image: the CPU-side building blocks of the image subnet — the seeded prompt
// grammar, the procedural renderer (the offline miner backend's core), the checks a validator
// runs on every answer, and a worker pool for them.
export * from './checks/index.js';
export { type ImageErrorCode, ImageSubnetError } from './errors.js';
export { type CheckPool, type CheckPoolOptions, type CheckTask, createCheckPool } from './pool.js';
export * from './prompt/index.js';
export * from './render/index.js';
export * from './subnet.js';
