/**
 * How the HTTP API answers a failure: the error's stable code and message as JSON, with
 * the HTTP status that says whose fault it is. A request the console would refuse
 * (bad arguments, an ACL) is the caller's; a daemon that cannot be reached is a gateway's.
 */
import { toBurrowError, type BurrowErrorCode } from '@burrow/common/errors/index';

const STATUS: Partial<Record<BurrowErrorCode, number>> = {
  BAD_REQUEST: 400, HOSTILE_PATH: 400, BOOTSTRAP_INVALID: 400,
  AUTH_FAILED: 401,
  NOT_ALLOWED: 403, NOT_OWNER: 403,
  NOT_FOUND: 404,
  CONNECTION: 502, PROTOCOL: 502, TIMEOUT: 504,
  INTERNAL: 500,
};

export interface ErrorBody {
  error: { code: string; message: string };
}

export function httpError(err: unknown): { status: number; body: ErrorBody } {
  const e = toBurrowError(err);
  // Anything else is a command that could not do what was asked (a job that cannot start, a volume in use).
  return { status: STATUS[e.code] ?? 409, body: { error: { code: e.code, message: e.message } } };
}
