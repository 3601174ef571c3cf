/**
 * Reads a daemon's Prometheus `/metrics` (docs/metrics.md) for the tests: each sample
 * keyed as it is written, `name{label="value",...}` (labels in the daemon's order), or
 * `name` alone when it has none.
 */
import type { DaemonSet } from './daemon-set.js';
import { waitFor } from './processes.js';

export type Samples = ReadonlyMap<string, number>;

/** The port a daemon serves /metrics on, from its log line: with `Metrics Port = 0` the system picks it. */
export async function metricsPort(daemons: DaemonSet, name: string): Promise<number> {
  const line = /metrics on http:\/\/[^/]+:(\d+)\/metrics/;
  await waitFor(() => line.test(daemons.output(name)), 15_000, () => `no metrics line from ${name}:\n${daemons.output(name)}`);
  return Number(line.exec(daemons.output(name))?.[1]);
}

export async function scrape(port: number, path = '/metrics'): Promise<Samples> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path} on port ${port}: ${res.status} ${text}`);
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return samples;
}

/** The sample's value; fails naming what was there when it is missing. */
export function sample(samples: Samples, key: string): number {
  const v = samples.get(key);
  if (v === undefined) {
    const family = key.split('{')[0] ?? key;
    const near = [...samples.keys()].filter((k) => k.startsWith(family));
    throw new Error(`no sample ${key}; ${family} has: ${near.join(', ') || 'nothing'}`);
  }
  return v;
}
