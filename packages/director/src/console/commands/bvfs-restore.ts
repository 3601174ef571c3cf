/**
 * A GUI's restore through bvfs, under Bareos's names:
 *   .bvfs_restore jobid=1,2 fileid=.. dirid=.. path=b2NNN, then `restore file=?b2NNN`
 *   .bvfs_cleanup path=b2NNN
 * The selection is nodes of the job set's tree (see bvfs.ts), kept in the console's
 * session under its name until it is restored or cleaned up.
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';
import { defineCommand, type BvfsSelection, type ConsoleContext } from '../command.js';
import { ids, text } from '../arg-types.js';
import { checkJobIds } from '../restore/selection.js';
import { jobSet } from './bvfs.js';

/** Bareos names its selection tables b2<number>; the name is also what `restore file=?` takes. */
const SELECTION_NAME = /^b2\d+$/;

export interface BvfsRestoreResult {
  /** The selection's name, for `restore file=?<name>`. */
  path: string;
  entries: number;
  jobids: number[];
  client: string;
}

export const bvfsRestoreCommand = defineCommand({
  name: '.bvfs_restore',
  help: 'Choose files and directories of a job set for `restore file=?b2NNN`',
  usage: '.bvfs_restore jobid=<ids> [fileid=<ids>] [dirid=<ids>] path=b2<number>',
  args: z.object({ jobid: ids(), fileid: ids().default([]), dirid: ids().default([]), path: text() }).strict(),
  run: async (ctx, a): Promise<BvfsRestoreResult> => {
    if (!SELECTION_NAME.test(a.path)) throw new BurrowError('BAD_REQUEST', `.bvfs_restore: path= must be b2<number>, not "${a.path}"`);
    const set = await jobSet(ctx, a.jobid);
    const pick = (key: 'fileid' | 'dirid', dirs: boolean): number[] => a[key].map((n) => {
      if (n >= set.tree.size || set.tree.isDir(n) !== dirs) throw new BurrowError('NOT_FOUND', `${key} ${n} is not a ${dirs ? 'directory' : 'file'} of JobId(s) ${set.jobIds.join(',')}`);
      return n;
    });
    const nodes = [...pick('fileid', false), ...pick('dirid', true)];
    if (nodes.length === 0) throw new BurrowError('BAD_REQUEST', '.bvfs_restore: give fileid= or dirid=');
    let entries = 0;
    for (const n of nodes) await set.tree.walk(n, (at) => { if (set.tree.info(at).jobId !== 0) entries++; });
    (ctx.session.bvfsSelections ??= new Map()).set(a.path, { client: set.client, jobIds: set.jobIds, tree: set.tree, nodes });
    return { path: a.path, entries, jobids: set.jobIds, client: set.client };
  },
  render: (r) => `${r.entries} entries chosen; restore them with: restore file=?${r.path}`,
});

export const bvfsCleanupCommand = defineCommand({
  name: '.bvfs_cleanup',
  help: 'Forget a .bvfs_restore selection',
  usage: '.bvfs_cleanup path=b2<number>',
  args: z.object({ path: text() }).strict(),
  run: (ctx, a): { path: string; removed: boolean } => ({ path: a.path, removed: ctx.session.bvfsSelections?.delete(a.path) ?? false }),
  render: (r) => (r.removed ? `${r.path} removed` : `no selection ${r.path}`),
});

/**
 * `restore file=?b2NNN`: the selection's tree with exactly its nodes marked. The job
 * ids are checked against the console's ACLs again, as a reload may have narrowed them.
 */
export async function bvfsChosen(ctx: ConsoleContext, name: string): Promise<BvfsSelection> {
  const sel = ctx.session.bvfsSelections?.get(name);
  if (!sel) throw new BurrowError('NOT_FOUND', `no .bvfs_restore selection "${name}" in this console`);
  await checkJobIds(ctx, sel.jobIds, sel.client);
  await sel.tree.setMark(0, false);
  for (const n of sel.nodes) await sel.tree.setMark(n, true);
  return sel;
}
