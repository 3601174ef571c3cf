/**
 * The results: rows `{dataset, operation, burrow_s, peer, peer_s, ratio}` with
 * ratio = peer_s / burrow_s (above 1: Burrow is faster), and rows of absolute figures
 * (`rows_per_s`, `bytes_read`, `rss_mib`), each with the target it is held to.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Row {
  dataset: string;
  operation: string;
  burrow_s: number | null;
  peer: string | null;
  peer_s: number | null;
  ratio: number | null;
  rows_per_s?: number;
  bytes_read?: number;
  rss_mib?: number;
  /** Stored bytes (volumes or archive) of one run, for compression ratios. */
  burrow_bytes?: number;
  peer_bytes?: number;
  /** FD CPU seconds / wall seconds: how many cores the File daemon kept busy. */
  fd_cores?: number;
  target?: string;
  met?: boolean;
  note?: string;
}

const round = (x: number | null | undefined, digits = 3): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));

export function comparison(dataset: string, operation: string, burrowS: number | null, peer: string, peerS: number | null): Row {
  return { dataset, operation, burrow_s: round(burrowS), peer, peer_s: round(peerS),
    ratio: burrowS && peerS ? round(peerS / burrowS) : null };
}

export function absolute(dataset: string, operation: string, figures: Partial<Row>): Row {
  return { dataset, operation, burrow_s: null, peer: null, peer_s: null, ratio: null, ...figures };
}

export function writeResults(dir: string, rows: Row[], mode: string): { latest: string; dated: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 16).replace(':', '-');
  const text = `${JSON.stringify(rows, null, 1)}\n`;
  const latest = join(dir, 'latest.json');
  const dated = join(dir, `${stamp}-${mode}.json`);
  writeFileSync(latest, text);
  writeFileSync(dated, text);
  return { latest, dated };
}

const cell = (v: unknown): string => (v === null || v === undefined ? '-' : String(v));

export function table(rows: Row[]): string {
  const head = ['dataset', 'operation', 'burrow_s', 'peer', 'peer_s', 'ratio', 'figure', 'target', 'met'];
  const body = rows.map((r) => {
    const figure = r.rows_per_s !== undefined ? `${Math.round(r.rows_per_s)} rows/s`
      : r.bytes_read !== undefined ? `${r.bytes_read} bytes read`
        : r.rss_mib !== undefined ? `${r.rss_mib} MiB`
          : r.burrow_bytes !== undefined ? `${(r.burrow_bytes / 2 ** 20).toFixed(1)} vs ${((r.peer_bytes ?? 0) / 2 ** 20).toFixed(1)} MiB${r.fd_cores !== undefined ? `, FD ${r.fd_cores} cores` : ''}`
            : r.note ?? '';
    return [r.dataset, r.operation, cell(r.burrow_s), cell(r.peer), cell(r.peer_s), cell(r.ratio), figure, cell(r.target), r.met === undefined ? '' : r.met ? 'yes' : 'NO'];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
