import type { ErrorKind } from '../common/errors';

/** How an error kind of the contract travels over HTTP. */
export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid_argument: 400,
  invalid_data: 422,
  not_found: 404,
  unsupported: 422,
  cancelled: 409,
  unauthorized: 401,
  io: 500,
  internal: 500,
};
