/**
 * Bareos's `Heartbeat Interval`, on Burrow's connections. Each end announces its own in
 * its Hello; a connection where either end has one uses the shorter (`agreedHeartbeat`).
 * Then each end sends a Heartbeat frame whenever it has sent nothing for half the
 * interval, and takes the connection as broken when nothing at all has come from the
 * other for two intervals while it was reading (a peer killed with its machine, a
 * cable pulled, a firewall that dropped the connection: no reset ever arrives). Time
 * spent not reading, because the consumer is behind, does not count as silence.
 */

/** The interval both ends use, in ms: the shorter of those set, 0 when neither is. */
export function agreedHeartbeat(ours: number, theirs: number): number {
  if (ours > 0 && theirs > 0) return Math.min(ours, theirs);
  return Math.max(ours, theirs, 0);
}

/** How long a silent peer is given: two intervals (Bareos's "noticed within two heartbeats"). */
export const SILENT_INTERVALS = 2;

/** How often the clock is looked at, in parts of the interval. */
export const CHECKS_PER_INTERVAL = 4;

/** The message a connection ends with when its peer fell silent. */
export function silenceMessage(peer: string, silentMs: number, intervalMs: number): string {
  return `no sign of life from ${peer} for ${(silentMs / 1000).toFixed(1)} s (Heartbeat Interval ${intervalMs / 1000} s): the connection is taken as broken`;
}
