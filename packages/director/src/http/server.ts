/**
 * Starts the HTTP API when the Director resource sets Http Port: HTTPS with its Http
 * Certificate and Http Key, or plain HTTP, which configuration/check.ts allows only on
 * a loopback address (a token or a password must not cross a network in the clear).
 */
import { readFileSync } from 'node:fs';
import type { DirectorResource } from '@burrow/common/config/index';
import { BurrowError } from '@burrow/common/errors/index';
import type { Logger } from '@burrow/common/log/index';
import type { ConsoleServices } from '../console/command.js';
import type { Clock } from '../time/clock.js';
import { TokenStore } from './tokens.js';

export interface HttpEndpoint {
  port: number;
  close(): Promise<void>;
}

export async function serveHttp(o: {
  self: DirectorResource; services: ConsoleServices; log: Logger; clock: Clock; resolvePath: (p: string) => string;
}): Promise<HttpEndpoint | undefined> {
  const { self, services, log } = o;
  if (self.httpPort === undefined) return undefined;
  const https = self.httpCertificate && self.httpKey
    ? { cert: readTlsFile(o.resolvePath(self.httpCertificate)), key: readTlsFile(o.resolvePath(self.httpKey)) }
    : undefined;
  // The lifetime in force: a reload that changes it applies to the next login.
  const tokens = new TokenStore(o.clock, () => services.live.current.config.director.httpTokenLifetime * 1000);
  // Loaded only for a Director that serves the API: fastify, ws and the OpenAPI document
  // would otherwise cost every Director some MiB it never uses (issue 12; bench/README 11-Director).
  const { buildApi } = await import('./api.js');
  const app = await buildApi({ services, tokens, log, ...(https ? { https } : {}) });
  try {
    await app.listen({ port: self.httpPort, host: self.httpAddress });
  } catch (err) {
    throw new BurrowError('CONFIG_INVALID', `cannot serve the HTTP API on ${self.httpAddress}:${self.httpPort}: ${String(err)}`, { cause: err });
  }
  const scheme = https ? 'https' : 'http';
  log.info({ port: self.httpPort, address: self.httpAddress }, `HTTP API on ${scheme}://${self.httpAddress}:${self.httpPort}/api/v1/`);
  return { port: self.httpPort, close: () => app.close() };
}

function readTlsFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new BurrowError('CONFIG_INVALID', `cannot read ${path}: ${String(err)}`, { cause: err });
  }
}
