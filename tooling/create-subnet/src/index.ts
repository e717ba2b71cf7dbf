export { type CliIo, findWorkspaceRoot, main as createSubnetCli, USAGE } from './cli.js';
export {
  type CreatedSubnet,
  type CreateSubnetOptions,
  createSubnet,
  EXCLUDED,
  nextSteps,
  TEMPLATE_DIR,
} from './create.js';
export {
  CreateSubnetError,
  type CreateSubnetErrorCode,
  type CreateSubnetErrorDetails,
} from './errors.js';
export { type FormatResult, formatWithBiome } from './format.js';
export { MAX_NAME_LENGTH, type NameForms, nameForms, validateSubnetName } from './names.js';
export {
  CODE_EXTENSIONS,
  findLeftovers,
  isCodeFile,
  type Leftover,
  renamePath,
  renameText,
} from './rename.js';
