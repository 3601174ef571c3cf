/** `status storage=` as the operator reads it. */
import { VERSION } from '@burrow/common/daemon/version';
import type { StorageContext } from '../context.js';

export function statusText(ctx: StorageContext): string {
  const lines = [
    `${ctx.name} Version: ${VERSION}`,
    `Daemon started ${new Date(ctx.startedAt).toISOString()}. Jobs: run=${ctx.running.size} running.`,
    '',
    'Running Jobs:',
    ...(ctx.running.size === 0 ? ['No Jobs running.'] : [...ctx.running].map(([id, s]) => `  JobId ${id} for Director "${s.director}" since ${new Date(s.startedAt).toISOString()}`)),
    '',
    'Devices:',
    ...[...new Set(ctx.devices.values())].map((d) => `  Device "${d.name}" is available.`),
  ];
  return lines.join('\n');
}
