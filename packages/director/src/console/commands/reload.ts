/**
 * reload: the Director reads its configuration again (configuration/reload.ts) and
 * puts it in force when it passes every check a start makes. Bareos answers
 * "reloaded" or "failed to reload" and leaves the reasons to the Director's log;
 * Burrow says them to the console too, and that the running configuration is kept.
 */
import { z } from 'zod';
import { defineCommand } from '../command.js';

export interface ReloadResult {
  /** Bareos's `.api json` answer: `{"reload": {"success": true}}`. */
  reload: { success: boolean };
  /** Why the new configuration was refused, line by line as `-t` says it (its warnings included). */
  errors: string[];
  warnings: string[];
}

function render(r: ReloadResult): string {
  const warnings = r.warnings.map((w) => `Warning: ${w}`);
  if (r.reload.success) return [...warnings, 'reloaded'].join('\n');
  return ['failed to reload', ...r.errors.map((e) => `  ${e}`), 'The configuration in force is kept.', ...warnings].join('\n');
}

export const reloadCommand = defineCommand({
  name: 'reload',
  help: 'Reload conf file',
  usage: 'reload',
  args: z.object({}).strict(),
  run: async (ctx): Promise<ReloadResult> => {
    const outcome = await ctx.reload();
    return { reload: { success: outcome.ok }, errors: [...outcome.errors], warnings: [...outcome.warnings] };
  },
  render,
  succeeded: (r) => r.reload.success,
});
