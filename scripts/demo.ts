// `npm run demo`: the main job. The local market (localnet + miners + validators + dashboard)
// does not exist yet; until it does, this runs the most complete thing that exists and says so.
import { Keypair, verifySignature } from '@subnetkit/wallet';

console.log('subnetkit demo — the local market is not built yet (see the open issues).');
console.log(
  'Running the most complete piece that exists: the wallet (sr25519 keys, SS58, signing).\n',
);

const alice = Keypair.fromUri('//Alice');
const hotkey = Keypair.generate();
const message = `subnetkit demo at ${new Date().toISOString()}`;
const signature = alice.sign(message);
console.log(`//Alice            ${alice.ss58Address}`);
console.log(`new hotkey         ${hotkey.ss58Address}`);
console.log(`signed             "${message}"`);
console.log(`verifies (Alice)   ${verifySignature(message, signature, alice.ss58Address)}`);
console.log(`verifies (hotkey)  ${verifySignature(message, signature, hotkey.ss58Address)}`);
