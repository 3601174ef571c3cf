/**
 * Summarises V8 .cpuprofile files: the functions with the most self time, which is
 * where a daemon's CPU goes (bench/README.md quotes these tables).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] }

/** A span of the monotonic clock in µs (the profile's own timestamps): only samples inside it count. */
export interface Window { fromUs: number; toUs: number }

export interface HotSpot { function: string; where: string; selfMs: number; percent: number }

/** The profile file a process wrote (node names them CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile). */
export function profileOf(dir: string, pid: number): string | undefined {
  const name = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && f.split('.')[3] === String(pid));
  return name ? join(dir, name) : undefined;
}

export function topSelfTime(file: string, count = 12, window?: Window): { totalMs: number; idleMs: number; top: HotSpot[] } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byNode = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  // Each sample's time is the delta to the next one; sample i is taken at startTime + deltas[0..i].
  let at = p.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    const id = samples[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? 0));
  }
  const byFunction = new Map<string, HotSpot>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byNode.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    const fn = frame.functionName || '(anonymous)';
    if (fn === '(idle)') { idleUs += us; continue; }
    const where = frame.url ? `${frame.url.replace(/^file:\/\/.*?\/(packages|node_modules)\//, '$1/')}:${frame.lineNumber + 1}` : '';
    const key = `${fn} ${where}`;
    const spot = byFunction.get(key) ?? { function: fn, where, selfMs: 0, percent: 0 };
    spot.selfMs += us / 1000;
    byFunction.set(key, spot);
  }
  const busyMs = (totalUs - idleUs) / 1000;
  const top = [...byFunction.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, count)
    .map((s) => ({ ...s, selfMs: Math.round(s.selfMs), percent: busyMs ? Math.round((s.selfMs / busyMs) * 1000) / 10 : 0 }));
  return { totalMs: Math.round(totalUs / 1000), idleMs: Math.round(idleUs / 1000), top };
}

export function profileMarkdown(title: string, file: string, window?: Window): string {
  const { totalMs, idleMs, top } = topSelfTime(file, 14, window);
  const lines = [`#### ${title}`, '', `${totalMs} ms profiled, ${idleMs} ms idle; self time of the busy part:`, '',
    '| self ms | % busy | function | where |', '|---:|---:|---|---|'];
  for (const s of top) lines.push(`| ${s.selfMs} | ${s.percent} | \`${s.function}\` | ${s.where} |`);
  return `${lines.join('\n')}\n`;
}
