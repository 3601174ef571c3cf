/**
 * A backup's `Write Bootstrap` (Bareos's UpdateBootstrapFile, dird/backup.cc): once the
 * backup ended well, the bootstrap of what it wrote — a section per volume, from its
 * JobMedia rows (catalog/bootstrap.ts) — goes to a file, or to a command's standard
 * input when the name starts with `|` (run without a shell, like run scripts, e.g.
 * `|/usr/bin/bsmtp -s "Bootstrap for Job %j" root@localhost`). `%` codes in the name
 * are the job's. A Full overwrites the file; an Incremental or Differential appends
 * to it, so the file holds the chain a restore needs, as Bareos does.
 *
 * A bootstrap that cannot be written does not undo a good backup: the job ends
 * "OK -- with warnings" and the warning says why. (Bareos's report says Error while
 * its catalog row says OK; Burrow keeps the two the same.)
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { describeError } from '@burrow/common/errors/index';
import { writeBootstrapText } from '@burrow/common/bootstrap/text';
import { runCommand } from '@burrow/common/scripts/command';
import { jobBootstrap } from '../catalog/index.js';
import { listDate, reportDate } from './format.js';
import type { JobContext } from './lifecycle.js';
import { substitute, type PercentVars } from '../messages/percent.js';
import { LEVEL_NAMES, type BackupPlan } from './plan.js';

export interface BootstrapToWrite {
  /** The Write Bootstrap directive: a file name, or `|command`; % codes not yet filled. */
  template: string;
  vars: PercentVars;
  level: BackupPlan['level'];
  since: number | null;
}

export async function writeJobBootstrap(ctx: JobContext, w: BootstrapToWrite): Promise<void> {
  const bootstrap = jobBootstrap(await ctx.env.catalog.listJobMedia(ctx.id.jobId));
  if (bootstrap.sections.length === 0) return; // nothing was written on a volume
  // Bareos's first line: when, which job, which level.
  const since = w.since === null ? '' : `, since=${listDate(w.since)}`;
  const text = writeBootstrapText(bootstrap, { comments: [`${reportDate(ctx.env.clock.now())} - ${ctx.id.job} - ${LEVEL_NAMES[w.level]}${since}`] });
  const where = substitute(w.template, w.vars).trim();
  if (where.startsWith('|')) await toCommand(ctx, where.slice(1).trim(), text);
  else await toFile(ctx, { file: where, text, overwrite: w.level === 'F' });
}

async function toFile(ctx: JobContext, { file, text, overwrite }: { file: string; text: string; overwrite: boolean }): Promise<void> {
  try {
    await (overwrite ? writeFile : appendFile)(file, text);
  } catch (err) {
    ctx.log.warning(`Could not open WriteBootstrap file: ${file}: ERR=${describeError(err)}`);
  }
}

async function toCommand(ctx: JobContext, command: string, text: string): Promise<void> {
  const r = await runCommand(command, { signal: ctx.signal, input: text, onLine: (line) => ctx.log.info(`WriteBootstrap: ${line}`) })
    .catch((err: unknown) => ({ exitCode: null, error: describeError(err) }));
  if (r.exitCode !== 0) ctx.log.warning(`Could not write the bootstrap to "|${command}": ${r.error ?? `exit status ${r.exitCode}`}`);
}
