/**
 * A test helper: the console's real parts without a network — a configuration loaded
 * from text, a SQLite catalog in a temporary directory, the job queue, a scheduler on
 * a manual clock — so command handlers and the session run in unit tests. Nothing is
 * started that needs a File or Storage daemon until a command asks for one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDirectorConfig } from '@burrow/common/config/index';
import { createLogger } from '@burrow/common/log/index';
import { openSqliteCatalog, type Catalog } from '../catalog/index.js';
import { buildGeneration, writeResourceRows } from '../configuration/generation.js';
import { LiveConfiguration } from '../configuration/live.js';
import { JobQueue } from '../jobs/queue.js';
import { ManualClock } from '../time/clock.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { ConsoleContext, ConsoleServices } from './command.js';
import { COMMANDS } from './commands/index.js';
import { DEFAULT_CONSOLE_NAME } from './console-name.js';
import { runAsDirector } from './session.js';

export interface TestConsole {
  readonly services: ConsoleServices;
  readonly catalog: Catalog;
  /** A console's context: the Director's own (default), or a named Console resource's. */
  context(consoleName?: string): ConsoleContext;
  close(): void;
}

/** A Director with one client, storage, pool, FileSet and job; `extra` adds resources. */
export function openTestConsole(extra = ''): TestConsole {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-console-'));
  const configPath = join(dir, 'burrow-dir.conf');
  writeFileSync(configPath, `
Director { Name = test-dir; Password = "console-secret"; Working Directory = "${dir}"; Pid Directory = "${dir}"; Messages = Daemon }
Client { Name = test-fd; Address = 127.0.0.1; FDPort = 1; Password = "client-secret" }
Storage { Name = File; Address = 127.0.0.1; SDPort = 1; Password = "sd-secret"; Device = FileStorage; Media Type = File }
Catalog { Name = MyCatalog; dbdriver = "sqlite3"; dbname = "burrow" }
Pool { Name = Full; Pool Type = Backup; Label Format = "Vol-" }
FileSet { Name = TestSet; Include { Options { Signature = SHA256 } File = /nonexistent } }
Job { Name = backup-test; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Daemon }
Job { Name = RestoreFiles; Type = Restore; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Daemon; Where = /tmp/restored }
Messages { Name = Daemon; Catalog = all }
${extra}
`);
  const { config } = loadDirectorConfig(configPath);
  const catalog = openSqliteCatalog(join(dir, 'burrow.db'));
  const log = createLogger({ name: 'test', level: 'silent', pretty: false });
  const resolvePath = (p: string): string => p;
  // RunScript Console = lines run on these same parts.
  const runConsoleCommand = (line: string): Promise<{ ok: boolean; text: string }> => runAsDirector(services, line);
  const live = new LiveConfiguration(buildGeneration(config, { catalog, log, resolvePath, runConsoleCommand }));
  writeResourceRows(catalog, config);
  const queue = new JobQueue({ env: () => live.current.env, maxConcurrentJobs: () => 1 });
  const scheduler = new Scheduler(live.current.schedule, new ManualClock(0), () => undefined, log);
  const services: ConsoleServices = {
    catalog, queue, live, scheduler, resolvePath, commands: COMMANDS, state: { startedAt: 0, lastShownLogId: 0 },
  };
  return {
    services,
    catalog,
    context: (consoleName = DEFAULT_CONSOLE_NAME) => ({
      ...services, config: live.current.config, env: live.current.env, session: { consoleName, api: false },
    }),
    close: () => {
      catalog.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
