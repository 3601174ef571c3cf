/**
 * Bareos's unique job name, "<Job name>.<YYYY-MM-DD_HH.MM.SS>_<seq>", in local time
 * as Bareos writes it. Administrators' scripts parse it, so the layout is fixed.
 */
export function uniqueJobName(name: string, timeMs: number, seq: number): string {
  const t = new Date(timeMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  const date = `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())}`;
  const time = `${two(t.getHours())}.${two(t.getMinutes())}.${two(t.getSeconds())}`;
  return `${name}.${date}_${time}_${two(seq)}`;
}
