// `npm run demo`: the local market — a dev chain, one validator and several miners (honest and
// faulty), each a separate process, then every miner's incentive read from the chain.
// Options: `npm run demo -- --help`. The code and its README are in tooling/demo.
import '../tooling/demo/src/cli.js';
