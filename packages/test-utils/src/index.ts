export { describeSubnetCompliance, type SubnetUnderTest } from './compliance/index.js';
export {
  type MinerHarness,
  type MinerHarnessOptions,
  noChain,
  startMinerHarness,
  type TestNeuronContextOptions,
  testNeuronContext,
} from './harness.js';
export {
  createDevWallet,
  type DevWallet,
  type DevWalletOptions,
  devHotkeys,
  devKey,
  tempDir,
} from './keys.js';
export { type StartLocalnetOptions, startLocalnet, type TestLocalnet } from './localnet.js';
export { type FakeNeuron, fakeMetagraph } from './metagraph.js';
export {
  type StubHandler,
  type StubRequest,
  type StubServer,
  startStubServer,
} from './stub-server.js';
