/**
 * Who may log in to the HTTP API: a named Console resource with its password (its ACLs
 * then apply to every request), or the default console `*UserAgent*` with the
 * Director's password, as bconsole's Director resource logs in. Passwords are compared
 * in constant time, through their digests so that lengths leak nothing either.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { findResource, type DirectorConfig } from '@burrow/common/config/index';
import { DEFAULT_CONSOLE_NAME } from '../console/console-name.js';

/** The console's canonical name when name and password match, otherwise undefined. */
export function checkLogin(config: DirectorConfig, name: string, password: string): string | undefined {
  if (name === DEFAULT_CONSOLE_NAME) return samePassword(config.director.password, password) ? DEFAULT_CONSOLE_NAME : undefined;
  const named = findResource(config.consoles, name);
  // Compared even when there is no such console, so a wrong name costs as long as a wrong password.
  const ok = samePassword(named?.password ?? '\0no console', password);
  return named && ok ? named.name : undefined;
}

function samePassword(expected: string, given: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}
