/**
 * The files chosen for a restore (the tree's marks, or the catalog's selection of
 * paths) made into its bootstrap, one file at a time: with the data-holding names of
 * chosen hard links added, and the files continued on a job's next volume.
 */
import { BootstrapBuilder, type Catalog, type ChosenFile } from '../catalog/index.js';
import { addLinkTargets, type ChosenLink } from './link-targets.js';
import type { ChosenFiles } from './plan.js';

/**
 * @param files every chosen file (an iterable read once: a generator over a tree will do)
 * @param links the chosen files that are hard links, with their names
 */
export function chooseFiles(catalog: Catalog, jobIds: readonly number[], files: Iterable<ChosenFile>, links: Iterable<ChosenLink>): ChosenFiles & { count: number } {
  const chosen = new BootstrapBuilder();
  for (const f of files) chosen.add(f);
  const count = chosen.count; // as chosen: the summary says the link targets apart
  const linkTargets = addLinkTargets(catalog, chosen, links);
  return { bootstrap: chosen.build(jobIds.flatMap((jobId) => catalog.listJobMedia(jobId))), linkTargets, count };
}
