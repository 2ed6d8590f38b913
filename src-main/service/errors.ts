import { WorkbenchError } from '../common/errors';

export function notFound(what: string, id: number): never {
  throw new WorkbenchError('not_found', `there is no ${what} ${id}`);
}
