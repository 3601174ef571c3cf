/** Text as Bareos's console prints it: the shapes several commands share. */

/** Fixed-width table as Bareos's list commands print it. */
export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((r) => r.map(String));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const fmt = (r: string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  if (cells.length === 0) return 'No results to list.';
  return [rule, fmt(headers), rule, ...cells.map(fmt), rule].join('\n');
}
