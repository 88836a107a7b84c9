/**
 * Error catalog. Domain errors know nothing about HTTP; one place per app
 * (`api`, `gateway`, `intel/taxii`) maps `kind` to a status code.
 */
export type ErrorKind =
  'input' | 'auth' | 'forbidden' | 'not_found' | 'conflict' | 'unavailable' | 'internal';

export const ERROR_CATALOG = {
  INVALID_INPUT: { kind: 'input', expected: true },
  INVALID_CONFIG: { kind: 'input', expected: true },
  UNAUTHENTICATED: { kind: 'auth', expected: true },
  FORBIDDEN: { kind: 'forbidden', expected: true },
  NOT_FOUND: { kind: 'not_found', expected: true },
  CONFLICT: { kind: 'conflict', expected: true },
  UNAVAILABLE: { kind: 'unavailable', expected: false },
  INTERNAL: { kind: 'internal', expected: false },
} as const satisfies Record<string, { kind: ErrorKind; expected: boolean }>;
export type ErrorCode = keyof typeof ERROR_CATALOG;

export class StillwatchError extends Error {
  override readonly name: string = 'StillwatchError';
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
  get kind(): ErrorKind {
    return ERROR_CATALOG[this.code].kind;
  }
}

/** A usage mistake on the command line or in a config file: exit code 2, no stack trace. */
export class UsageError extends StillwatchError {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super('INVALID_INPUT', message);
  }
}
