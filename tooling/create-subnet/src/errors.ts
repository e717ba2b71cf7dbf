export type CreateSubnetErrorCode =
  | 'INVALID_NAME'
  | 'TARGET_EXISTS'
  | 'TEMPLATE_MISSING'
  | 'ROOT_NOT_FOUND'
  | 'INVALID_OPTION';

export class CreateSubnetError extends Error {
  override readonly name = 'CreateSubnetError';
  readonly code: CreateSubnetErrorCode;
  readonly field: string | undefined;

  constructor(code: CreateSubnetErrorCode, message: string, field?: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}
