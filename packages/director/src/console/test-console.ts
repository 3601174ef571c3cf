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
import { reloader } from '../configuration/reload.js';
import { JobQueue } from '../jobs/queue.js';
import { ManualClock } from '../time/clock.js';
import { ClientConnections } from '../fd/client-connections.js';
import { VolumeReservations } from '../media/reservations.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { ConsoleContext, ConsoleServices } from './command.js';
import { COMMANDS } from './commands/index.js';
import { DEFAULT_CONSOLE_NAME } from './console-name.js';
import { runAsDirector } from './session.js';

export interface TestConsole {
  readonly services: ConsoleServices;
  readonly catalog: Catalog;
  /** The configuration file (what `reload` reads again). */
  readonly configPath: string;
  /** A temporary directory, removed by close(): for files a test writes (query files, logs). */
  readonly dir: string;
  /** The Director's clock (also the catalog's): move it to age jobs and volumes. */
  readonly clock: ManualClock;
  /** A console's context: the Director's own (default), or a named Console resource's. */
  context(consoleName?: string): ConsoleContext;
  close(): void;
}

export interface TestConsoleOptions {
  /** Directives added to the Director's own resource (`Auditing = yes`, `QueryFile = ...`). */
  readonly director?: string;
  /** Destinations added to the Director's Messages resource, Daemon (an audit log). */
  readonly daemonMessages?: string;
}

/** A Director with one client, storage, pool, FileSet and job; `extra` adds resources. */
export async function openTestConsole(extra = '', o: TestConsoleOptions = {}): Promise<TestConsole> {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-console-'));
  const configPath = join(dir, 'burrow-dir.conf');
  writeFileSync(configPath, `
Director { Name = test-dir; Password = "console-secret"; Working Directory = "${dir}"; Pid Directory = "${dir}"; Messages = Daemon
  ${o.director ?? ''} }
Client { Name = test-fd; Address = 127.0.0.1; FDPort = 1; Password = "client-secret" }
Storage { Name = File; Address = 127.0.0.1; SDPort = 1; Password = "sd-secret"; Device = FileStorage; Media Type = File }
Catalog { Name = MyCatalog; dbdriver = "sqlite3"; dbname = "burrow" }
Pool { Name = Full; Pool Type = Backup; Label Format = "Vol-" }
FileSet { Name = TestSet; Include { Options { Signature = SHA256 } File = /nonexistent } }
Job { Name = backup-test; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Daemon }
Job { Name = RestoreFiles; Type = Restore; Client = test-fd; FileSet = TestSet; Storage = File; Pool = Full; Messages = Daemon; Where = /tmp/restored }
Messages { Name = Daemon; Catalog = all
  ${o.daemonMessages ?? ''} }
${extra}
`);
  const { config } = loadDirectorConfig(configPath);
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const catalog = openSqliteCatalog(join(dir, 'burrow.db'), { now: () => clock.now() });
  const log = createLogger({ name: 'test', level: 'silent', pretty: false });
  const resolvePath = (p: string): string => p;
  // RunScript Console = lines run on these same parts.
  const runConsoleCommand = (line: string): Promise<{ ok: boolean; text: string }> => runAsDirector(services, line);
  const parts = { catalog, log, resolvePath, runConsoleCommand, clock, reservations: new VolumeReservations(), clientConnections: new ClientConnections() };
  const live = new LiveConfiguration(buildGeneration(config, parts));
  // The checks of a start that need the machine (configuration/check.ts) are the e2e tests' business.
  const reload = reloader({ configPath, live, parts, check: async () => undefined });
  await writeResourceRows(catalog, config);
  const queue = new JobQueue({ env: () => live.current.env, maxConcurrentJobs: () => 1 });
  const scheduler = new Scheduler(live.current.schedule, clock, () => undefined, log);
  const services: ConsoleServices = {
    catalog, queue, live, reload, scheduler, resolvePath, commands: COMMANDS, state: { startedAt: 0, lastShownLogId: 0 },
  };
  return {
    services,
    catalog,
    configPath,
    dir,
    clock,
    context: (consoleName = DEFAULT_CONSOLE_NAME) => ({
      ...services, config: live.current.config, env: live.current.env, daemonMessage: live.current.daemonMessage,
      session: { consoleName, api: false, address: '127.0.0.1' },
    }),
    close: () => {
      catalog.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
