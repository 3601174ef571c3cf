/**
 * delete volume=NAME | delete jobid=IDS (Bareos's ua_cmds.cc DeleteCmd): catalog
 * records only, whatever their retention; a volume's jobs go with it ("all Jobs saved
 * on that Volume"), and the volume file stays on disk. Never a running job.
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { purgeJobs } from '../../media/purge.js';
import { defineCommand, type ConsoleContext } from '../command.js';
import { choice, flag, ids, text } from '../arg-types.js';
import { keywordInput } from '../args.js';
import { visibleJob } from './list.js';
import { confirmed, renderLines, visibleVolume, type LinesResult } from './media-common.js';

const deleteArgs = z.object({
  what: choice(['volume', 'jobid'], 'say volume=NAME or jobid=IDS'),
  volume: text().optional(),
  jobid: ids().optional(),
  yes: flag().optional(),
}).strict();

async function deleteVolume(ctx: ConsoleContext, name: string): Promise<LinesResult> {
  const m = await visibleVolume(ctx, name);
  const jobs = await ctx.catalog.jobsOnMedia(m.mediaId);
  const purged = await purgeJobs(ctx.catalog, jobs);
  if (purged.purgedJobIds.length < jobs.length) {
    throw new BurrowError('BAD_REQUEST', `Volume "${m.volumeName}" holds a running job: not deleted.\n${purged.lines.join('\n')}`);
  }
  await ctx.catalog.deleteMedia(m.mediaId);
  return { lines: [...(jobs.length > 0 ? purged.lines : []), `Volume "${m.volumeName}" deleted from catalog.`] };
}

export const deleteCommand = defineCommand({
  name: 'delete',
  help: 'Delete a volume or jobs from the catalog (the data on volumes stays)',
  usage: 'delete volume=<name> yes | delete jobid=<ids> yes',
  args: deleteArgs,
  readLine: (words) => {
    const input = keywordInput(words, 'what');
    if (input.what === undefined) input.what = typeof input.volume === 'string' ? 'volume' : input.jobid !== undefined ? 'jobid' : undefined;
    return input;
  },
  run: async (ctx, a): Promise<LinesResult> => {
    confirmed(a.yes, `delete ${a.what}`);
    if (a.what === 'volume') {
      if (!a.volume) throw new BurrowError('BAD_REQUEST', 'delete volume: give volume=NAME');
      return deleteVolume(ctx, a.volume);
    }
    if (!a.jobid?.length) throw new BurrowError('BAD_REQUEST', 'delete jobid: give jobid=IDS');
    const out = await purgeJobs(ctx.catalog, await Promise.all(a.jobid.map((id) => visibleJob(ctx, id))));
    return { lines: [...out.lines, ...out.purgedJobIds.map((id) => `JobId=${id} and associated records deleted from the catalog.`)] };
  },
  render: renderLines,
});
