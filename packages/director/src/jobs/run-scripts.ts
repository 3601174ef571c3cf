/**
 * A Job's run scripts: `RunScript { }` blocks and the short forms Bareos keeps
 * (`Run Before Job`, `Run After Job`, `Run After Failed Job`, `Client Run Before Job`,
 * `Client Run After Job`). Scripts with RunsOnClient = no run here on the Director;
 * the others are sent to the File daemon, which runs them only if its own
 * configuration allows (file-daemon/src/scripts).
 */
import type { Frozen, JobResource, RunScriptBlock } from '@burrow/common/config/index';

/** A run script as the configuration gives it (frozen). */
export type RunScript = Frozen<RunScriptBlock>;
import type { burrow } from '@burrow/common/proto/index';
import { runCommand } from '@burrow/common/scripts/command';
import { describeError } from '@burrow/common/errors/index';
import type { JobEnv } from './env.js';
import type { JobLog } from './job-log.js';
import { substitute, type PercentVars } from '../messages/percent.js';

type When = 'Before' | 'After';

/** The short forms, each read by name (the unread-directive test sees each directive read). */
const SHORT_FORMS: Array<{ commands: (job: JobResource) => readonly string[]; runsWhen: When; runsOnClient: boolean; onSuccess: boolean; onFailure: boolean }> = [
  { commands: (j) => j.runBeforeJob, runsWhen: 'Before', runsOnClient: false, onSuccess: true, onFailure: false },
  { commands: (j) => j.runAfterJob, runsWhen: 'After', runsOnClient: false, onSuccess: true, onFailure: false },
  { commands: (j) => j.runAfterFailedJob, runsWhen: 'After', runsOnClient: false, onSuccess: false, onFailure: true },
  { commands: (j) => j.clientRunBeforeJob, runsWhen: 'Before', runsOnClient: true, onSuccess: true, onFailure: false },
  { commands: (j) => j.clientRunAfterJob, runsWhen: 'After', runsOnClient: true, onSuccess: true, onFailure: false },
];

export function jobScripts(job: JobResource): RunScript[] {
  const scripts: RunScript[] = [...job.runScript];
  for (const f of SHORT_FORMS) {
    for (const command of f.commands(job)) {
      scripts.push({
        commands: [command], consoleCommands: [], runsWhen: f.runsWhen, runsOnClient: f.runsOnClient,
        runsOnSuccess: f.onSuccess, runsOnFailure: f.onFailure, failJobOnError: true,
      });
    }
  }
  return scripts;
}

/** Whether a script runs at this point of the job. */
export function scriptApplies(s: Pick<RunScript, 'runsWhen' | 'runsOnSuccess' | 'runsOnFailure'>, when: When, jobOk: boolean): boolean {
  if (s.runsWhen !== when && s.runsWhen !== 'Always') return false;
  if (when === 'Before') return true;
  return jobOk ? s.runsOnSuccess : s.runsOnFailure;
}

/** The client's scripts, % codes filled in, for the FD's job order. */
export function clientScripts(scripts: readonly RunScript[], vars: PercentVars): burrow.IClientScript[] {
  // Console lines stay here (runDirectorScripts): a script of nothing else sends the client nothing.
  return scripts.filter((s) => s.runsOnClient && s.runsWhen !== 'Never' && s.commands.length > 0).map((s) => ({
    commands: s.commands.map((c) => substitute(c, vars)),
    runsWhen: s.runsWhen === 'AfterVSS' ? 'After' : s.runsWhen,
    runsOnSuccess: s.runsOnSuccess, runsOnFailure: s.runsOnFailure, failJobOnError: s.failJobOnError,
  }));
}

export interface DirectorScriptRun {
  scripts: readonly RunScript[];
  when: When;
  /** Whether the job has gone well so far (After scripts: RunsOnSuccess or RunsOnFailure). */
  jobOk: boolean;
  vars: PercentVars;
  log: JobLog;
  /** Runs a `Console =` line as the Director's own console. */
  console: JobEnv['runConsoleCommand'];
  signal: AbortSignal;
}

/**
 * Runs the Director's own scripts for this point of the job; their output goes to the
 * job log. Returns false when one failed with FailJobOnError (the job must fail).
 */
export async function runDirectorScripts(r: DirectorScriptRun): Promise<boolean> {
  let ok = true;
  for (const s of r.scripts) {
    if (!scriptApplies(s, r.when, r.jobOk)) continue;
    // Console lines always run here: the File daemon has no console (in Bareos one
    // left on the client, RunsOnClient's default, is silently never run).
    const work = [
      ...s.consoleCommands.map((t) => (): Promise<string | null> => runConsoleLine(r, substitute(t, r.vars))),
      ...(s.runsOnClient ? [] : s.commands.map((t) => (): Promise<string | null> => runOne(r, substitute(t, r.vars)))),
    ];
    for (const run of work) {
      const failure = await run();
      if (failure === null) continue;
      if (s.failJobOnError) {
        r.log.error(failure);
        ok = false;
      } else {
        r.log.warning(failure);
      }
    }
  }
  return ok;
}

/** Runs one console command, its output into the job log; returns why it failed, or null. */
async function runConsoleLine(r: DirectorScriptRun, line: string): Promise<string | null> {
  r.log.info(`${r.when}Job: run console command "${line}"`);
  const res = await r.console(line, r.signal).catch((err: unknown) => ({ ok: false, text: describeError(err) }));
  for (const out of res.text.split('\n')) if (out !== '') r.log.info(`${r.when}Job: ${out}`);
  return res.ok ? null : `${r.when}Job: console command "${line}" failed`;
}

/** Runs one command, its output into the job log; returns why it failed, or null. */
async function runOne(r: DirectorScriptRun, command: string): Promise<string | null> {
  r.log.info(`${r.when}Job: run command "${command}"`);
  const res = await runCommand(command, { signal: r.signal, onLine: (line) => r.log.info(`${r.when}Job: ${line}`) })
    .catch((err: unknown) => ({ exitCode: null, error: String(err) }));
  if (res.exitCode === 0) return null;
  return `${r.when}Job: command "${command}" failed: ${res.error ?? `exit status ${res.exitCode}`}`;
}
