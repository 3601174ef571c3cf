/**
 * Run scripts the Director asks a client to run. A Director must not be able to run
 * arbitrary commands on every client, so the File daemon's own configuration decides:
 * a command runs only if its program lies in one of the `Allowed Script Dir`s, or the
 * whole command is one of the `Allowed Job Command`s. With neither configured, no
 * client script runs at all (Bareos allows everything then; Burrow is safe by default).
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, sep } from 'node:path';
import { runCommand, splitCommand } from '@burrow/common/scripts/command';
import type { burrow } from '@burrow/common/proto/index';

/** Where a script's lines and verdicts go: the job's log (dir/job-reporter.ts is one). */
export interface ScriptLog {
  say(level: 'info' | 'warning' | 'error', text: string): void;
}

export interface ScriptPolicy {
  allowedScriptDirs: readonly string[];
  allowedJobCommands: readonly string[];
}

/** Why `command` may not run here, or undefined when it may. */
export async function refusal(command: string, policy: ScriptPolicy, clientName: string): Promise<string | undefined> {
  if (policy.allowedJobCommands.includes(command)) return undefined;
  if (policy.allowedScriptDirs.length === 0) {
    return policy.allowedJobCommands.length === 0
      ? `the File daemon "${clientName}" allows no run scripts (set Allowed Script Dir or Allowed Job Command in its FileDaemon resource)`
      : `"${command}" is not one of the File daemon's Allowed Job Commands`;
  }
  let program: string;
  try {
    program = splitCommand(command)[0] as string;
  } catch (err) {
    return (err as Error).message;
  }
  if (!isAbsolute(program)) return `"${program}" is not an absolute path inside an Allowed Script Dir`;
  // Resolve links so a symlink inside an allowed folder cannot point outside it.
  const real = await realpath(program).catch(() => undefined);
  if (real === undefined) return `"${program}" does not exist`;
  for (const dir of policy.allowedScriptDirs) {
    const base = await realpath(dir).catch(() => undefined);
    if (base !== undefined && real.startsWith(base.endsWith(sep) ? base : base + sep)) return undefined;
  }
  return `"${program}" is not inside an Allowed Script Dir (${policy.allowedScriptDirs.join(', ')})`;
}

/**
 * Runs the scripts for this point of the job, in order, output to the job log.
 * Returns false when one was refused or failed with FailJobOnError.
 */
export async function runClientScripts(
  scripts: readonly burrow.ClientScript[], when: 'Before' | 'After', jobOk: boolean,
  p: { policy: ScriptPolicy; clientName: string; reporter: ScriptLog; signal: AbortSignal },
): Promise<boolean> {
  let ok = true;
  for (const s of scripts) {
    const applies = (s.runsWhen === when || s.runsWhen === 'Always') && (when === 'Before' || (jobOk ? s.runsOnSuccess : s.runsOnFailure));
    if (!applies) continue;
    for (const command of s.commands) {
      const refused = await refusal(command, p.policy, p.clientName);
      const failed = refused ?? await run(command, when, p);
      if (failed === undefined) continue;
      const text = `Client${when}Job: ${refused ? 'refused' : 'failed'}: ${failed}`;
      if (s.failJobOnError || refused) {
        p.reporter.say('error', text);
        ok = false;
      } else {
        p.reporter.say('warning', text);
      }
    }
  }
  return ok;
}

async function run(command: string, when: string, p: { reporter: ScriptLog; signal: AbortSignal }): Promise<string | undefined> {
  p.reporter.say('info', `Client${when}Job: run command "${command}"`);
  const r = await runCommand(command, { signal: p.signal, onLine: (line) => p.reporter.say('info', `Client${when}Job: ${line}`) });
  return r.exitCode === 0 ? undefined : `"${command}": ${r.error ?? `exit status ${r.exitCode}`}`;
}
