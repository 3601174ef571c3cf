/**
 * The Director's start-time check of its Messages resources, run by `-t` too
 * (common/daemon/preflight.ts): every `Append`/`File` destination must be a file the
 * Director can create or write, or every job's log lines to it would be lost.
 */
import { dirname } from 'node:path';
import { accessSync, constants } from 'node:fs';
import { problemAt } from '@burrow/common/config/schema/daemon';
import type { Problems } from '@burrow/common/config/schema/problems';
import type { MessagesResource } from '@burrow/common/config/index';
import { checkDirectory, statIfAny } from '@burrow/common/daemon/preflight';

export function checkMessageFiles(problems: Problems, resources: readonly MessagesResource[], resolvePath: (p: string) => string): void {
  for (const res of resources) {
    for (const d of res.destinations) {
      if (d.destination !== 'append' && d.destination !== 'file') continue;
      const file = resolvePath(d.address ?? '');
      const st = statIfAny(file);
      if (!st) { checkDirectory(problems, res, 'destinations', dirname(file)); continue; }
      if (!st.isFile()) { problems.error(problemAt(res, 'destinations', `${d.destination} = ${file}: not a regular file`)); continue; }
      try { accessSync(file, constants.W_OK); } catch (err) {
        problems.error(problemAt(res, 'destinations', `${d.destination} = ${file}: not writable (${(err as NodeJS.ErrnoException).code ?? 'error'})`));
      }
    }
  }
}
