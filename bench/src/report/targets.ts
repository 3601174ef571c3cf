/** The performance targets, attached to the rows they judge (tests time nothing). */
import type { Row } from './rows.js';

const MIB = 2 ** 20;

interface Target { applies: (r: Row) => boolean; text: string; met: (r: Row) => boolean }

const ratioAbove = (x: number) => (r: Row): boolean => r.ratio !== null && r.ratio > x;

const TARGETS: Target[] = [
  { applies: (r) => r.dataset === 'large' && r.operation === 'full backup (no compression)' && r.peer === 'tar -cf',
    text: '>= 0.8x tar throughput', met: (r) => r.ratio !== null && r.ratio >= 0.8 },
  { applies: (r) => (r.dataset === 'large' || r.dataset === 'small') && r.operation === 'full backup (no compression)' && r.peer === 'bacula',
    text: 'faster than Bacula', met: ratioAbove(1) },
  { applies: (r) => r.operation === 'full backup (GZIP6)' && r.peer === 'tar -czf',
    text: 'faster than tar -czf, size within 10%', met: (r) => ratioAbove(1)(r) && (r.burrow_bytes ?? Infinity) <= (r.peer_bytes ?? 0) * 1.1 },
  { applies: (r) => r.operation.startsWith('incremental') && r.peer === 'bacula', text: 'faster than Bacula', met: ratioAbove(1) },
  { applies: (r) => r.dataset === 'large' && r.operation === 'restore one file' && r.peer !== null && r.peer.startsWith('tar'),
    text: 'under 1 s', met: (r) => r.burrow_s !== null && r.burrow_s < 1 },
  { applies: (r) => r.operation === 'restore one file: SD bytes read', text: 'under 2 MiB', met: (r) => r.bytes_read !== undefined && r.bytes_read < 2 * MIB },
  { applies: (r) => r.operation.startsWith('catalog insert'), text: '>= 100,000 rows/s', met: (r) => (r.rows_per_s ?? 0) >= 100_000 },
  { applies: (r) => r.operation.startsWith('restore tree build'), text: 'under 3 s', met: (r) => r.burrow_s !== null && r.burrow_s < 3 },
  { applies: (r) => r.operation.startsWith('choose next volume'), text: 'under 50 ms', met: (r) => r.burrow_s !== null && r.burrow_s < 0.05 },
  { applies: (r) => r.operation.startsWith('prune all volumes'), text: 'under 2 s', met: (r) => r.burrow_s !== null && r.burrow_s < 2 },
  { applies: (r) => r.operation.startsWith('peak RSS burrow'), text: 'under 200 MiB', met: (r) => r.rss_mib !== undefined && r.rss_mib < 200 },
];

export function judge(row: Row): Row {
  const t = TARGETS.find((x) => x.applies(row));
  return t ? { ...row, target: t.text, met: t.met(row) } : row;
}
