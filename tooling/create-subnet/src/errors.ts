import { SubnetkitError } from '@subnetkit/core';

export type CreateSubnetErrorCode =
  | 'INVALID_NAME'
  | 'TARGET_EXISTS'
  | 'TEMPLATE_MISSING'
  | 'ROOT_NOT_FOUND'
  | 'INVALID_OPTION';

export type CreateSubnetErrorDetails = {
  /** The argument or option at fault (`name`, `root` …). */
  field?: string;
};

/** `new CreateSubnetError(code, message, { details: { field }, cause? })`, as every `SubnetkitError`. */
export class CreateSubnetError extends SubnetkitError<
  CreateSubnetErrorCode,
  CreateSubnetErrorDetails
> {
  /** The argument or option at fault (`details.field`), when one is. */
  get field(): string | undefined {
    return this.details?.field;
  }
}
