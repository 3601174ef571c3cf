/**
 * The files chosen for a restore (the tree's marks, or the catalog's selection of
 * paths) made into its bootstrap, one file at a time: with the data-holding names of
 * chosen hard links added, and the files continued on a job's next volume.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { BootstrapBuilder, type Catalog, type ChosenFile } from '../catalog/index.js';
import { addLinkTargets, type ChosenLink } from './link-targets.js';
import type { ChosenFiles } from './plan.js';

/** Files taken between two turns of the event loop: a million marked files are a second's work. */
const FILES_PER_TURN = 20_000;

/**
 * @param files every chosen file (an iterable read once: a generator over a tree will do)
 * @param links the chosen files that are hard links, with their names
 */
export async function chooseFiles(catalog: Catalog, jobIds: readonly number[], files: Iterable<ChosenFile>, links: Iterable<ChosenLink>): Promise<ChosenFiles & { count: number }> {
  const chosen = new BootstrapBuilder();
  for (const f of files) {
    chosen.add(f);
    if (chosen.count % FILES_PER_TURN === 0) await yieldToLoop();
  }
  const count = chosen.count; // as chosen: the summary says the link targets apart
  const linkTargets = await addLinkTargets(catalog, chosen, links);
  const jobMedia = [];
  for (const jobId of jobIds) jobMedia.push(...await catalog.listJobMedia(jobId));
  return { bootstrap: chosen.build(jobMedia), linkTargets, count };
}
