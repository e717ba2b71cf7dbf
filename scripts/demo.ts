// `npm run demo`: the local market — one dev chain and, for every subnet that exports
// `./market`, its own netuid with a validator and miners (honest and adversarial), each a
// separate process, then every miner's incentive read from the chain, subnet by subnet.
// Options: `npm run demo -- --help`. The code and its README are in tooling/demo.
import '../tooling/demo/src/cli.js';
