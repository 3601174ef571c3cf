/** The performance targets, attached to the rows they judge (tests time nothing). */
import type { Row } from './rows.js';

const MIB = 2 ** 20;

interface Target { applies: (r: Row) => boolean; text: string; met: (r: Row) => boolean }

const ratioAbove = (x: number) => (r: Row): boolean => r.ratio !== null && r.ratio > x;

const ratioAtLeast = (x: number) => (r: Row): boolean => r.ratio !== null && r.ratio >= x;
const vs = (peer: string, dataset: string | null, operation: string) => (r: Row): boolean =>
  r.peer === peer && (dataset === null || r.dataset === dataset) && r.operation === operation;

/** Issue 12's table first (bench/README.md), then the earlier issues' bounds. */
const TARGETS: Target[] = [
  { applies: vs('bacula', 'large', 'full backup (no compression)'), text: '>= 1.5x Bacula', met: ratioAtLeast(1.5) },
  { applies: vs('bacula', 'large', 'full backup (no compression, XXH128; Bacula MD5)'), text: '>= 2x Bacula', met: ratioAtLeast(2) },
  { applies: vs('bacula', 'large', 'full restore'), text: '>= 2x Bacula', met: ratioAtLeast(2) },
  { applies: vs('bacula', 'small', 'full backup (no compression)'), text: '>= 2x Bacula', met: ratioAtLeast(2) },
  { applies: vs('bacula', 'small', 'full restore'), text: '>= 1.5x Bacula', met: ratioAtLeast(1.5) },
  { applies: (r) => r.dataset === 'mixed' && r.peer === 'bacula' && (r.operation === 'full backup (no compression)' || r.operation === 'full restore'),
    text: '>= 1.5x Bacula', met: ratioAtLeast(1.5) },
  { applies: (r) => r.operation.startsWith('incremental') && r.peer === 'bacula', text: '>= 3x Bacula', met: ratioAtLeast(3) },
  { applies: (r) => r.dataset === 'small' && r.operation === 'full backup (GZIP6)' && r.peer === 'tar -czf',
    text: '>= 1x tar -czf, size within 10%', met: (r) => ratioAtLeast(1)(r) && (r.burrow_bytes ?? Infinity) <= (r.peer_bytes ?? 0) * 1.1 },
  { applies: vs('bacula LZO', 'large', 'full backup (fastest: Burrow LZ4)'), text: '>= 1x Bacula LZO', met: ratioAtLeast(1) },
  { applies: (r) => r.dataset === 'large' && r.operation === 'empty Incremental, end to end', text: 'under 0.3 s', met: (r) => r.burrow_s !== null && r.burrow_s < 0.3 },
  { applies: (r) => r.operation.startsWith('peak RSS growth'), text: '<= 1.2x', met: (r) => r.ratio !== null && r.ratio <= 1.2 },
  { applies: (r) => r.operation.startsWith('peak RSS burrow'), text: 'under 150 MiB', met: (r) => r.rss_mib !== undefined && r.rss_mib < 150 },
  // Earlier issues' bounds.
  { applies: (r) => r.dataset === 'large' && r.operation === 'full backup (no compression)' && r.peer === 'tar -cf',
    text: '>= 0.8x tar throughput', met: ratioAtLeast(0.8) },
  { applies: (r) => r.operation === 'full backup (GZIP6)' && r.peer === 'tar -czf',
    text: 'faster than tar -czf, size within 10%', met: (r) => ratioAbove(1)(r) && (r.burrow_bytes ?? Infinity) <= (r.peer_bytes ?? 0) * 1.1 },
  { applies: (r) => r.dataset === 'large' && r.operation === 'restore one file' && r.peer !== null && r.peer.startsWith('tar'),
    text: 'under 1 s', met: (r) => r.burrow_s !== null && r.burrow_s < 1 },
  { applies: (r) => r.operation === 'restore one file: SD bytes read', text: 'under 2 MiB', met: (r) => r.bytes_read !== undefined && r.bytes_read < 2 * MIB },
  // Issue 13: fsf and fsr to the file's block, then that block (1 MiB) and the end label's.
  { applies: (r) => r.operation === 'restore one file from the end of a full virtual tape cartridge', text: 'SD read under 3 MiB', met: (r) => r.bytes_read !== undefined && r.bytes_read < 3 * MIB },
  { applies: (r) => r.operation.startsWith('catalog insert'), text: '>= 100,000 rows/s', met: (r) => (r.rows_per_s ?? 0) >= 100_000 },
  { applies: (r) => r.operation.startsWith('restore tree build'), text: 'under 3 s', met: (r) => r.burrow_s !== null && r.burrow_s < 3 },
  { applies: (r) => r.operation.startsWith('choose next volume'), text: 'under 50 ms', met: (r) => r.burrow_s !== null && r.burrow_s < 0.05 },
  { applies: (r) => r.operation.startsWith('prune all volumes'), text: 'under 2 s', met: (r) => r.burrow_s !== null && r.burrow_s < 2 },
];

export function judge(row: Row): Row {
  const t = TARGETS.find((x) => x.applies(row));
  return t ? { ...row, target: t.text, met: t.met(row) } : row;
}
