/** Calls the template uses, with the argument names it relies on. */
export const EXPECTED_CALLS: Record<string, string[]> = {
  'subtensorModule.burnedRegister': ['netuid', 'hotkey'],
  'subtensorModule.serveAxon': [
    'netuid',
    'version',
    'ip',
    'port',
    'ipType',
    'protocol',
    'placeholder1',
    'placeholder2',
  ],
  'subtensorModule.setWeights': ['netuid', 'dests', 'weights', 'versionKey'],
  'subtensorModule.setMechanismWeights': ['netuid', 'mecid', 'dests', 'weights', 'versionKey'],
  'subtensorModule.commitWeights': ['netuid', 'commitHash'],
  'subtensorModule.commitMechanismWeights': ['netuid', 'mecid', 'commitHash'],
  'subtensorModule.commitTimelockedWeights': [
    'netuid',
    'commit',
    'revealRound',
    'commitRevealVersion',
  ],
  'subtensorModule.commitTimelockedMechanismWeights': [
    'netuid',
    'mecid',
    'commit',
    'revealRound',
    'commitRevealVersion',
  ],
  'subtensorModule.revealWeights': ['netuid', 'uids', 'values', 'salt', 'versionKey'],
  'subtensorModule.revealMechanismWeights': [
    'netuid',
    'mecid',
    'uids',
    'values',
    'salt',
    'versionKey',
  ],
  'subtensorModule.addStake': ['hotkey', 'netuid', 'amountStaked'],
  'subtensorModule.removeStake': ['hotkey', 'netuid', 'amountUnstaked'],
  'balances.transferKeepAlive': ['dest', 'value'],
  'balances.transferAllowDeath': ['dest', 'value'],
};

export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
