/**
 * One error vocabulary for every Burrow part (STYLE.md habit 8): a closed set of
 * stable codes, one error class carrying a code and a cause. Codes travel on the
 * wire (ErrorReply.code) and appear in logs, so they are only ever appended to.
 * docs/errors.md lists them; a test keeps the two in step.
 */
export const ERROR_CODES = {
  CONFIG_SYNTAX: 'the configuration text does not parse',
  CONFIG_INVALID: 'a configuration resource or directive is invalid',
  CONFIG_INCLUDE: 'an @include or resource directory cannot be read',
  AUTH_FAILED: 'the peer did not prove it knows the shared password',
  PROTOCOL: 'a peer sent a malformed, unknown or out-of-order message',
  FRAME_TOO_LARGE: 'a frame exceeds the size limit',
  CONNECTION: 'a connection could not be made or was lost',
  TIMEOUT: 'an operation did not finish in time',
  VOLUME_FORMAT: 'a volume is not a Burrow volume or is damaged',
  VOLUME_FULL: 'a volume has no room for the next block',
  DEVICE: 'a storage device failed',
  CATALOG: 'the catalog refused an operation',
  NOT_FOUND: 'a named resource, job, volume or file does not exist',
  BAD_REQUEST: 'a console command or request is malformed',
  HOSTILE_PATH: 'a path would leave the restore target or contains forbidden bytes',
  FILE_ACCESS: 'a file on the client could not be read or written',
  NOT_OWNER: "a user's own restore would write where that user may not, or make something not theirs",
  JOB_CANCELED: 'the job was canceled',
  JOB_FAILED: 'the job failed',
  COMMAND_FAILED: 'a command or list the FileSet names was refused, failed or could not be read',
  INTERNAL: 'a bug in Burrow',
  NOT_ALLOWED: 'the peer may not ask for this',
  BOOTSTRAP_INVALID: 'a bootstrap (.bsr) text is malformed or asks for what Burrow volumes cannot do',
  MAIL_REFUSED: 'the mail server refused the message or a recipient',
} as const;

export type BurrowErrorCode = keyof typeof ERROR_CODES;

export function isBurrowErrorCode(code: string): code is BurrowErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

export class BurrowError extends Error {
  override readonly name = 'BurrowError';
  readonly code: BurrowErrorCode;

  constructor(code: BurrowErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Converts anything thrown into a BurrowError, keeping the original as the cause. */
export function toBurrowError(err: unknown, fallback: BurrowErrorCode = 'INTERNAL'): BurrowError {
  if (err instanceof BurrowError) return err;
  if (err instanceof Error) return new BurrowError(fallback, err.message, { cause: err });
  return new BurrowError(fallback, String(err));
}

/** A message for humans: the error's own text, without a stack. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
