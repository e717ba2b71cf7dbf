export { type CliIo, findWorkspaceRoot, main as createSubnetCli, USAGE } from './cli.js';
export {
  type CreatedSubnet,
  type CreateSubnetOptions,
  createSubnet,
  EXCLUDED,
  nextSteps,
  TEMPLATE_DIR,
} from './create.js';
export { CreateSubnetError, type CreateSubnetErrorCode } from './errors.js';
export { MAX_NAME_LENGTH, type NameForms, nameForms, validateSubnetName } from './names.js';
export { CODE_EXTENSIONS, findLeftovers, isCodeFile, type Leftover, renameText } from './rename.js';
