/**
 * A daemon's Prometheus metrics: its own registry (prom-client's global one would be
 * module-level state, STYLE.md habit 10) with the process and Node.js metrics every
 * exporter has, and `/metrics` served on a port of its own, only when the daemon's
 * resource sets `Metrics Port` (docs/metrics.md). Each daemon defines its own metrics
 * on the registry; this module knows none of them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { BurrowError } from '../errors/index.js';
import type { Logger } from '../log/index.js';

export { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A registry with the standard process_* and nodejs_* metrics. */
export function daemonRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** The Metrics Port and Metrics Address directives of a daemon's own resource. */
export interface MetricsSettings {
  metricsPort?: number | undefined;
  metricsAddress: string;
}

export interface MetricsEndpoint {
  /** The port it listens on (the configured one). */
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` in Prometheus's text format; undefined when no Metrics Port is
 * set. A port that cannot be bound is a configuration error of the daemon (it stops).
 */
export async function serveMetrics(registry: Registry, settings: MetricsSettings, log: Logger): Promise<MetricsEndpoint | undefined> {
  if (settings.metricsPort === undefined) return undefined;
  const server = createServer((req, res) => void answer(registry, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new BurrowError('CONFIG_INVALID', `cannot serve metrics on ${settings.metricsAddress}:${settings.metricsPort}: ${err.message}`, { cause: err })));
    server.listen(settings.metricsPort, settings.metricsAddress, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port, address: settings.metricsAddress }, `metrics on http://${settings.metricsAddress}:${port}/metrics`);
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function answer(registry: Registry, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/metrics') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Only /metrics is served here.\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Only GET.\n');
    return;
  }
  try {
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text);
  } catch (err) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(err)}\n`);
  }
}
