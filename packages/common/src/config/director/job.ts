/**
 * Job and JobDefs. A JobDefs holds defaults: a Job (or JobDefs) naming one with
 * `JobDefs = X` takes every directive of X it does not set itself. Inheritance works
 * on the raw directive values, before defaults are applied, so a JobDefs's explicit
 * `Priority = 5` wins over the schema's default of 10.
 */
import { z } from 'zod';
import type { BlockNode } from '../syntax/ast.js';
import { bool, description, duration, integer, many, name, NOT_YET, one, oneOf, rawMany, size, speed, text } from '../schema/fields.js';
import type { Problems } from '../schema/problems.js';
import { defineResource, type BlockContext, type RawResource } from '../schema/resource.js';

export const JOB_TYPES = ['Backup', 'Restore', 'Verify', 'Admin', 'Copy', 'Migrate'] as const;
export const JOB_LEVELS = [
  'Full', 'Incremental', 'Differential', 'VirtualFull', 'InitCatalog', 'Catalog', 'VolumeToCatalog',
  'DiskToCatalog', 'Data', 'Base',
] as const;
export const REPLACE_MODES = ['always', 'ifnewer', 'ifolder', 'never'] as const;

/** When a run script runs, as Bareos's `RunsWhen` says. */
export const RUNS_WHEN = ['Before', 'After', 'Always', 'AfterVSS', 'Never'] as const;

/** A `RunScript { ... }` block, checked. Commands keep Bareos's % codes for the Director to fill. */
export interface RunScriptBlock {
  commands: string[];
  /** `Console =` lines: console commands the Director runs as its own console. */
  consoleCommands: string[];
  runsWhen: (typeof RUNS_WHEN)[number];
  runsOnSuccess: boolean;
  runsOnFailure: boolean;
  runsOnClient: boolean;
  failJobOnError: boolean;
}

const YES = /^(yes|true|on)$/i;
const NO = /^(no|false|off)$/i;

function keepRunScript(node: BlockNode, ctx: BlockContext): RunScriptBlock {
  const out: RunScriptBlock = { commands: [], consoleCommands: [], runsWhen: 'Never', runsOnSuccess: true, runsOnFailure: false, runsOnClient: true, failJobOnError: true };
  let sawWhen = false;
  for (const item of node.body) {
    const at = { file: item.file, line: item.line, resource: ctx.resource, directive: item.name };
    if (item.kind !== 'directive') {
      ctx.problems.error({ ...at, message: 'unexpected block inside RunScript' });
      continue;
    }
    const value = item.parts.length === 1 && item.parts[0]!.length === 1 ? item.parts[0]![0]!.text : item.raw;
    const flag = (set: (b: boolean) => void): void => {
      if (YES.test(value)) set(true);
      else if (NO.test(value)) set(false);
      else ctx.problems.error({ ...at, message: `expected yes or no, got "${value}"` });
    };
    switch (item.key) {
      case 'command': out.commands.push(value); break;
      case 'console': out.consoleCommands.push(value); break;
      case 'runswhen': {
        const when = RUNS_WHEN.find((w) => w.toLowerCase() === value.toLowerCase());
        if (when) { out.runsWhen = when; sawWhen = true; } else ctx.problems.error({ ...at, message: `must be one of ${RUNS_WHEN.join(', ')}` });
        break;
      }
      case 'runsonsuccess': flag((b) => { out.runsOnSuccess = b; }); break;
      case 'runsonfailure': flag((b) => { out.runsOnFailure = b; }); break;
      case 'runsonclient': flag((b) => { out.runsOnClient = b; }); break;
      case 'failjobonerror': case 'abortjobonerror': flag((b) => { out.failJobOnError = b; }); break;
      default: ctx.problems.error({ ...at, message: 'is not a RunScript directive (Command, Console, RunsWhen, RunsOnSuccess, RunsOnFailure, RunsOnClient, FailJobOnError)' });
    }
  }
  if (!sawWhen) ctx.problems.error({ file: node.file, line: node.line, resource: ctx.resource, directive: 'RunScript', message: 'needs RunsWhen = Before, After or Always' });
  if (out.commands.length === 0 && out.consoleCommands.length === 0) ctx.problems.error({ file: node.file, line: node.line, resource: ctx.resource, directive: 'RunScript', message: 'needs a Command' });
  return out;
}

const jobFields = {
  name: one(name()),
  description: description(),
  type: one(oneOf(JOB_TYPES).optional()),
  level: one(oneOf(JOB_LEVELS).optional()),
  client: one(text().optional()),
  fileSet: one(text().optional()),
  pool: one(text().optional()),
  fullBackupPool: one(text().optional()),
  incrementalBackupPool: one(text().optional()),
  differentialBackupPool: one(text().optional()),
  storage: many(z.array(z.string()).default([])),
  messages: one(text().optional()),
  schedule: one(text().optional()),
  catalog: one(text().optional()),
  where: one(text().optional()),
  replace: one(oneOf(REPLACE_MODES).default('always')),
  priority: one(integer(1).default(10)),
  maximumConcurrentJobs: one(integer(1).default(1)),
  maxRunTime: one(duration().optional()),
  maxWaitTime: one(duration().optional()),
  // Bytes/s the client may send a backup's data at; wins over the Client's Maximum Bandwidth Per Job.
  maximumBandwidth: one(speed().optional()),
  // Data spooling (storage-daemon/src/spool/): the SD writes the job's data to its Spool
  // Directory and then to the volume in one stream; attributes then reach the catalog at
  // the end (Spool Data turns Spool Attributes on, as in Bareos). Spool Size: this job's
  // spool at most, in bytes (absent: the device's limits alone).
  spoolData: one(bool().default(false)),
  spoolAttributes: one(bool().default(false)),
  spoolSize: one(size().optional()),
  allowDuplicateJobs: one(bool().default(true)),
  cancelQueuedDuplicates: one(bool().default(false)),
  rescheduleOnError: one(bool().default(false)),
  rescheduleInterval: one(duration().default(30 * 60)),
  rescheduleTimes: one(integer().default(5)),
  jobDefs: one(text().optional()),
  enabled: one(bool().default(true)),
  accurate: one(bool().default(false)),
  /** `Verify Job` (alias `Job To Verify`): whose runs a VolumeToCatalog, DiskToCatalog or Data verify checks. */
  verifyJob: one(text().optional()),
  writeBootstrap: one(text().optional()),
  // Bareos's Job overrides of pruning: at the job's end even with the Client's AutoPrune
  // off (jobs, files), and of volumes when no appendable one is left (the Pool's AutoPrune).
  pruneJobs: one(bool().default(false)),
  pruneFiles: one(bool().default(false)),
  pruneVolumes: one(bool().default(false)),
  bootstrap: one(text().optional(), NOT_YET),
  runBeforeJob: rawMany(),
  runAfterJob: rawMany(),
  runAfterFailedJob: rawMany(),
  clientRunBeforeJob: rawMany(),
  clientRunAfterJob: rawMany(),
  runScript: { zod: z.array(z.custom<RunScriptBlock>()).default([]), arity: 'custom' as const },
};

const JOB_UNIMPLEMENTED = [
  'Protocol', 'Backup Format', 'Virtual Full Backup Pool', 'Next Pool', 'Run',
  'Regex Where', 'Strip Prefix', 'Add Prefix', 'Add Suffix', 'Write Verify List',
  'Max Run Sched Time', 'Full Max Wait Time', 'Incremental Max Wait Time',
  'Differential Max Wait Time', 'Full Max Runtime', 'Incremental Max Runtime', 'Differential Max Runtime',
  'Max Start Delay', 'Max Full Interval', 'Max Virtual Full Interval', 'Max Diff Interval',
  'Prefix Links', 'Purge Migration Job', 'Rerun Failed Levels', 'Prefer Mounted Volumes', 
  'Allow Mixed Priority', 'Write Part After Job',
  'Selection Pattern', 'Selection Type', 'Allow Higher Duplicates',
  'Cancel Lower Level Duplicates', 'Cancel Running Duplicates',
  'Save File History', 'File History Size', 'Plugin Options', 'Fd Plugin Options', 'Sd Plugin Options',
  'Dir Plugin Options', 'Base', 'Max Concurrent Copies', 'Always Incremental',
  'Always Incremental Job Retention', 'Always Incremental Keep Number', 'Always Incremental Max Full Age',
  'Max Full Consolidations', 'Run On Incoming Connect Interval',
];

const blocks = { runScript: { prop: 'runScript', build: keepRunScript } };

const aliases = { 'Job To Verify': 'verifyJob' as const };

export const jobSpec = defineResource({ type: 'Job', fields: jobFields, unimplemented: JOB_UNIMPLEMENTED, blocks, aliases });
export const jobDefsSpec = defineResource({ type: 'JobDefs', fields: jobFields, unimplemented: JOB_UNIMPLEMENTED, blocks, aliases });

const NOT_INHERITED = new Set(['name', 'jobDefs']);

/**
 * Fills each Job's and JobDefs's unset directives from the JobDefs it names, following
 * chains of JobDefs; a missing or circular JobDefs is an error naming the directive.
 */
export function applyJobDefs(jobs: readonly RawResource[], jobDefs: readonly RawResource[], problems: Problems): void {
  const byName = new Map(jobDefs.map((d) => [d.name.toLowerCase(), d]));
  const done = new Set<RawResource>();
  const resolve = (r: RawResource, chain: RawResource[]): void => {
    if (done.has(r)) return;
    const parentName = r.values['jobDefs'];
    if (typeof parentName === 'string') {
      const parent = byName.get(parentName.toLowerCase());
      const at = r.where['jobDefs']!;
      const report = (message: string): void => problems.error({ file: at.at.file, line: at.at.line, resource: r.label, directive: at.directive, message });
      if (!parent) report(`JobDefs "${parentName}" is not defined`);
      else if (chain.includes(parent)) report(`JobDefs "${parentName}" refers back to itself`);
      else {
        resolve(parent, [...chain, parent]);
        for (const [prop, value] of Object.entries(parent.values)) {
          if (NOT_INHERITED.has(prop) || r.values[prop] !== undefined) continue;
          r.values[prop] = value;
          r.where[prop] = parent.where[prop]!;
        }
      }
    }
    done.add(r);
  };
  for (const d of jobDefs) resolve(d, [d]);
  for (const j of jobs) resolve(j, []);
}

/** Directives a Job of each type needs once JobDefs are applied (as Bareos requires). */
export const REQUIRED_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  Backup: ['client', 'fileSet', 'pool', 'storage', 'messages'],
  Restore: ['client', 'fileSet', 'pool', 'storage', 'messages'],
  Verify: ['client', 'fileSet', 'pool', 'messages'],
  Admin: ['messages'],
  Copy: ['pool', 'messages'],
  Migrate: ['pool', 'messages'],
};
