/**
 * `Metrics Port` and `Metrics Address`, the same on each daemon's own resource
 * (Director, Storage, FileDaemon): where its Prometheus `/metrics` is served
 * (common/src/metrics). No port: no metrics endpoint. The address defaults to loopback,
 * so metrics reach another host only when the administrator says so.
 */
import { one, port, text } from './fields.js';

export const METRICS_FIELDS = {
  metricsPort: one(port().optional()),
  metricsAddress: one(text().default('127.0.0.1')),
};
