/**
 * Errors that cross process and transport boundaries as data: `{ kind, message, details }`.
 * Every failure a user can cause (bad file, bad option, model/data mismatch) is one of these,
 * with a message that says what, where and why. Anything else is a bug and becomes `internal`.
 */

export const ERROR_KINDS = [
  'not_found',
  'invalid_argument',
  'invalid_data',
  'unsupported',
  'io',
  'cancelled',
  'unauthorized',
  'internal',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface ErrorData {
  kind: ErrorKind;
  message: string;
  details?: Record<string, unknown>;
}

export class WorkbenchError extends Error {
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown> | undefined;

  constructor(kind: ErrorKind, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'WorkbenchError';
    this.kind = kind;
    this.details = details;
  }

  toData(): ErrorData {
    return this.details === undefined
      ? { kind: this.kind, message: this.message }
      : { kind: this.kind, message: this.message, details: this.details };
  }

  static fromData(data: ErrorData): WorkbenchError {
    return new WorkbenchError(data.kind, data.message, data.details);
  }
}

/** Anything thrown, as transportable error data; unknown errors keep their message. */
export function toErrorData(error: unknown): ErrorData {
  if (error instanceof WorkbenchError) return error.toData();
  if (error instanceof Error) return { kind: 'internal', message: error.message };
  return { kind: 'internal', message: String(error) };
}

export function invalidData(message: string, details?: Record<string, unknown>): WorkbenchError {
  return new WorkbenchError('invalid_data', message, details);
}

export function invalidArgument(message: string, details?: Record<string, unknown>): WorkbenchError {
  return new WorkbenchError('invalid_argument', message, details);
}

export function unsupported(message: string, details?: Record<string, unknown>): WorkbenchError {
  return new WorkbenchError('unsupported', message, details);
}
