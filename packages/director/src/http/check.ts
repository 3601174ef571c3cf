/**
 * The HTTP API's directives checked with the rest of the configuration (`-t`, start,
 * reload): a certificate goes with its key, both readable; without them the API may
 * listen only on loopback, where no password or token crosses a network in the clear.
 */
import { accessSync, constants } from 'node:fs';
import { isIP } from 'node:net';
import type { DirectorResource } from '@burrow/common/config/index';
import { problemAt } from '@burrow/common/config/schema/daemon';
import type { Problems } from '@burrow/common/config/schema/problems';

export function checkHttp(problems: Problems, self: DirectorResource, resolvePath: (p: string) => string): void {
  if (self.httpPort === undefined) return;
  const cert = self.httpCertificate;
  const key = self.httpKey;
  if ((cert === undefined) !== (key === undefined)) {
    problems.error(problemAt(self, cert === undefined ? 'httpKey' : 'httpCertificate', 'Http Certificate and Http Key go together: set both for HTTPS'));
    return;
  }
  if (cert !== undefined && key !== undefined) {
    for (const [prop, file] of [['httpCertificate', cert], ['httpKey', key]] as const) {
      try {
        accessSync(resolvePath(file), constants.R_OK);
      } catch (err) {
        problems.error(problemAt(self, prop, `${resolvePath(file)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`));
      }
    }
    return;
  }
  if (!isLoopback(self.httpAddress)) {
    problems.error(problemAt(self, 'httpAddress', `plain HTTP is served only on loopback (127.0.0.1, ::1, localhost); set Http Certificate and Http Key to serve HTTPS on ${self.httpAddress}`));
  }
}

function isLoopback(address: string): boolean {
  if (address === 'localhost') return true;
  if (isIP(address) === 4) return address.startsWith('127.');
  return address === '::1';
}
