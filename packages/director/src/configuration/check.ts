/**
 * The Director's checks of a loaded configuration against the machine, run by `-t`,
 * at start, and fit for `reload` (a new configuration that fails them is refused):
 * where it listens, its working and pid directories, its Messages files, its Schedule
 * Run lines. Returns what the start needs.
 */
import type { DirectorConfig } from '@burrow/common/config/index';
import type { Problems } from '@burrow/common/config/schema/problems';
import { problemAt } from '@burrow/common/config/schema/daemon';
import { checkOwnResource, type OwnResourceChecked } from '@burrow/common/daemon/preflight';
import { checkMessageFiles } from '../messages/check.js';
import { scheduleEntries } from '../scheduler/scheduler.js';
import { checkHttp } from '../http/check.js';

export async function checkDirectorConfiguration(config: DirectorConfig, problems: Problems, resolvePath: (p: string) => string): Promise<OwnResourceChecked> {
  const self = config.director;
  const own = await checkOwnResource(problems, {
    listen: { resource: self, address: self.dirAddress, addresses: self.dirAddresses, port: self.dirPort, addressProp: 'dirAddress', addressesProp: 'dirAddresses' },
    directories: { workingDirectory: resolvePath(self.workingDirectory), pidDirectory: resolvePath(self.pidDirectory) },
  });
  checkMessageFiles(problems, config.messages, resolvePath);
  checkHttp(problems, self, resolvePath);
  scheduleEntries(config, problems);
  for (const c of config.clients) {
    if (!c.connectionFromDirectorToClient && !c.connectionFromClientToDirector) {
      problems.error(problemAt(c, 'connectionFromDirectorToClient', 'with Connection From Client To Director = no too, the Director could never reach this client'));
    }
  }
  return own;
}
