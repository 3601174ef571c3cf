/**
 * `Metrics Port` and `Metrics Address`, the same on each daemon's own resource
 * (Director, Storage, FileDaemon): where its Prometheus `/metrics` is served
 * (common/src/metrics). No port: no metrics endpoint; port 0: one the system picks, named
 * in the daemon's "metrics on http://..." log line (as the daemon ports take 0). The
 * address defaults to loopback, so metrics reach another host only when the
 * administrator says so.
 */
import { listenPort, one, text } from './fields.js';

export const METRICS_FIELDS = {
  metricsPort: one(listenPort().optional()),
  metricsAddress: one(text().default('127.0.0.1')),
};
