/**
 * Renderers alone, without daemons: a typed result in, Bareos's text out. These are
 * the texts administrators' scripts read, so they are pinned here exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderList, renderLlist, type JobRecord } from './list-text.js';
import { renderEstimate } from './estimate.js';
import { runCommand, waitCommand } from './run.js';
import { statusCommand } from './status.js';
import { labelCommand } from './label.js';
import { helpCommand, messagesCommand } from './info.js';
import { renderEntries } from './bvfs.js';
import { renderRestore } from '../restore/result.js';

const job: JobRecord = {
  jobid: 1, job: 'backup-test.2026-11-22_10.00.00_01', name: 'backup-test', type: 'B', level: 'F', client: 'test-fd', fileset: 'TestSet',
  pool: 'Full', jobstatus: 'T', schedtime: '2026-11-22 10:00:00', starttime: '2026-11-22 10:00:01', endtime: '2026-11-22 10:00:05',
  jobfiles: 1234, jobbytes: 5678901, readbytes: 5678901, joberrors: 0, priorjobid: null,
};

test('list jobs is a table; llist jobs one field per line', () => {
  assert.equal(renderList({ jobs: [job] }), [
    '+-------+-------------+---------------------+------+-------+----------+-----------+-----------+',
    '| JobId | Name        | StartTime           | Type | Level | JobFiles | JobBytes  | JobStatus |',
    '+-------+-------------+---------------------+------+-------+----------+-----------+-----------+',
    '| 1     | backup-test | 2026-11-22 10:00:01 | B    | F     | 1,234    | 5,678,901 | T         |',
    '+-------+-------------+---------------------+------+-------+----------+-----------+-----------+',
  ].join('\n'));
  assert.equal(renderList({ jobs: [] }), 'No results to list.');
  const long = renderLlist({ jobs: [job], joblog: ['log one', 'log two'] });
  assert.match(long, /^ {11}jobid: 1\n {13}job: backup-test\.2026/);
  assert.match(long, / {10}client: test-fd\n/);
  assert.match(long, / {6}priorjobid: \n\nlog one\nlog two$/);
});

test('list files ends with the count; jobtotals adds a TOTAL row', () => {
  assert.equal(renderList({ jobid: 3, filenames: [{ path: '/a', path_b64: 'L2E=', fileindex: 1 }] }), '/a\n+--------------------+\n1 files in JobId 3');
  assert.match(renderLlist({ jobtotals: [{ name: 'j', jobs: 2, files: 1000, bytes: 2000 }], total: { jobs: 2, files: 1000, bytes: 2000 } }),
    /\| 2    \| 1,000 \| 2,000 \| j     \|\n\| 2    \| 1,000 \| 2,000 \| TOTAL \|/);
});

test('run shows what it would start, or that it queued it', () => {
  const summary = { type: 'Backup' as const, jobname: 'backup-test', level: 'Full', client: 'test-fd', fileset: 'TestSet', pool: 'Full', storage: 'File', priority: 10 };
  const shown = runCommand.spec.render({ ...summary, started: false });
  assert.equal(shown, 'Run Backup job\nJobName:  backup-test\nLevel:    Full\nClient:   test-fd\nFileSet:  TestSet\nPool:     Full\nStorage:  File\nPriority: 10\nNot started: add "yes" to run it.');
  assert.match(runCommand.spec.render({ ...summary, started: true, jobid: 7, job: 'x' }), /Priority: 10\nJob queued\. JobId=7$/);
  const verify = runCommand.spec.render({
    type: 'Verify', jobname: 'v', level: 'Catalog', client: 'c', fileset: 'f', storage: null, verifyjob: null, verifylist: 3, priority: 10, started: false,
  });
  assert.doesNotMatch(verify, /Storage:/, 'a disk-level Verify reads no storage');
  assert.match(verify, /Verify Job:  \nVerify List: 3\n/);
});

test('wait: one JobStatus per job, and success only when every job ended well', () => {
  const r = { jobs: [{ jobid: 1, jobstatus: 'T' as const }, { jobid: 2, jobstatus: 'E' as const }] };
  assert.equal(waitCommand.spec.render(r), 'JobId=1\nJobStatus=OK (T)\nJobId=2\nJobStatus=Error (E)');
  assert.equal(waitCommand.spec.succeeded?.(r), false);
  assert.equal(waitCommand.spec.succeeded?.({ jobs: [{ jobid: 1, jobstatus: 'W' }] }), true);
});

test('estimate keeps the client\'s messages where they came in the listing', () => {
  const text = renderEstimate({
    client: 'c', address: 'h', port: 9102, files: 2, bytes: 1500, level: 'Incremental', note: 'Incremental since x',
    listing: [{ path: '/a', size: 1000 }, { path: '/b', size: 500 }],
    messages: [{ level: 'Warning', text: 'first', after: 0 }, { level: 'Warning', text: 'between', after: 1 }, { level: 'Error', text: 'last', after: 2 }],
  });
  assert.equal(text, [
    'Connecting to Client c at h:9102', 'Warning: first', '        1000 /a', 'Warning: between', '         500 /b', 'Error: last',
    '2000 OK estimate files=2 bytes=1,500 (1.5 KB) level=Incremental (Incremental since x)',
  ].join('\n'));
});

test('status dir: the Director, scheduled, running and terminated jobs', () => {
  const text = statusCommand.spec.render({
    director: 'test-dir', version: '9.9.9', started: '2026-11-22 10:00:00', uptime: 3_723_000, scheduled: [], running: [], terminated: [], waitingClients: [], now: 0,
  });
  assert.match(text, /^test-dir Version: 9\.9\.9\nDaemon started 2026-11-22 10:00:00, up 1 hour 2 mins 3 secs\.\n\nScheduled Jobs:\nNo Scheduled Jobs\.\n\nRunning Jobs:\nNo Jobs running\.\n\nTerminated Jobs:\nNo results to list\.$/);
  assert.equal(statusCommand.spec.render({ client: 'c', text: 'as the client said' }), 'as the client said');
});

test('status dir: a running job\'s progress in the words of Bareos\'s client status', () => {
  const running = { jobId: 7, job: 'backup-c.7', name: 'backup-c', kind: 'backup' as const, state: 'running' as const, waitingFor: undefined, level: 'F', client: 'c', priority: 10, startedAt: 1_000 };
  const text = statusCommand.spec.render({
    director: 'test-dir', version: '9.9.9', started: '', uptime: 0, scheduled: [], terminated: [], now: 66_000, waitingClients: [],
    running: [{ ...running, progress: { jobId: 7, files: 1234, bytes: 5_678_901, bytesPerSecond: 87_367, lastBytesPerSecond: 120_000, file: '/home/a b' } }, { ...running, jobId: 8, job: 'backup-c.8' }],
  });
  assert.match(text, /JobId 7 Job backup-c\.7 is running\.\n    Files=1,234 Bytes=5,678,901 AveBytes\/sec=87,367 LastBytes\/sec=120,000\n    Elapsed time: 1 min 5 secs\n    Processing file: \/home\/a b\n/);
  // Before the catalog stored any of its files.
  assert.match(text, /JobId 8 Job backup-c\.8 is running\.\n    Files=0 Bytes=0 AveBytes\/sec=0 LastBytes\/sec=0\n    Elapsed time: 1 min 5 secs\n/);
});

test('label, messages and help read as Bareos prints them', () => {
  assert.equal(labelCommand.spec.render({ volume: 'V1', mediaid: 1, pool: 'Full', storage: 'File', device: 'FileStorage', slot: 0, volbytes: 187 }),
    'Sending label command for Volume "V1" Slot 0 ...\n3000 OK label. VolBytes=187 Volume="V1" Device="FileStorage"\nCatalog record for Volume "V1", Slot 0 successfully created.');
  assert.equal(messagesCommand.spec.render({ messages: [] }), 'You have no messages.');
  assert.equal(helpCommand.spec.render({ name: 'run', help: 'Run a job', usage: 'run job=' }), 'run: Run a job\nUsage: run job=');
  assert.match(helpCommand.spec.render({ commands: [{ name: 'run', help: 'Run a job', usage: '' }] }), /^ {2}Command {4}Description\n {2}=+ {4}=+\n {2}run {8}Run a job\n\nquit or exit/);
});

test('.bvfs listings are tab-separated; directories end in /', () => {
  const base = { fileindex: 0, name_b64: '', path: '', path_b64: '', size: 0, mtime: 0 };
  assert.equal(renderEntries([
    { ...base, type: 'D', pathid: 4, fileid: null, jobid: 0, name: '.' },
    { ...base, type: 'D', pathid: 5, fileid: null, jobid: 1, name: 'sub' },
    { ...base, type: 'F', pathid: 4, fileid: 9, jobid: 2, name: 'f.txt', size: 12 },
  ]), '4\t0\t0\t0\t.\n5\t0\t1\t0\tsub/\n4\t9\t2\t12\tf.txt');
});

test('restore: the menu, the tree shell\'s answers and the summary', () => {
  assert.equal(renderRestore({ kind: 'menu', choices: ['One', 'Two'] }), 'To select the JobIds, you have the following choices:\n    1: One\n    2: Two');
  assert.equal(renderRestore({ kind: 'question' }), '');
  assert.equal(renderRestore({ kind: 'marked', on: true, changed: 1 }), '1 file marked.');
  assert.equal(renderRestore({ kind: 'marked', on: false, changed: 1200 }), '1,200 files unmarked.');
  const entry = { name: 'a.txt', path: '/d/a.txt', dir: false, type: 1, jobid: 2, fileindex: 3, size: 1234, mtime: 0, marked: true };
  assert.equal(renderRestore({ kind: 'entries', long: false, entries: [entry, { ...entry, name: 'd', dir: true, marked: false }], more: 2 }), '*a.txt\nd/\n... 2 more');
  assert.equal(renderRestore({ kind: 'entries', long: true, entries: [entry], more: 0 }), `-          1,234  ${' '.repeat(19)}  JobId 2      */d/a.txt`);
  const summary = { files: 3, bytes: null, jobids: [1, 2], volumes: ['V1'], locations: ['Slot 2 of Storage "Library"'], client: 'c', restoreclient: 'c', where: '', regexwhere: '', replace: 'Always' };
  assert.equal(renderRestore({ kind: 'summary', preface: { marked: 3 }, started: false, ...summary }), [
    'Bootstrap records written for 3 marked entries.', '3 files selected to be restored from JobId(s) 1,2.', 'Volumes needed: V1',
    '    V1               Slot 2 of Storage "Library"',
    'Restore Client: c', 'Where:          (original location)', 'Replace:        Always',
  ].join('\n'));
  assert.match(renderRestore({ kind: 'queued', preface: null, started: true, jobid: 9, ...summary, bytes: 10, regexwhere: '!a!b!' }),
    /^3 files selected.*\nBytes:          10\n.*\nRegexWhere:     !a!b!\nReplace:        Always\nJob queued\. JobId=9$/s);
  assert.match(renderRestore({ kind: 'tree', built: { jobids: [1], files: 1000, seconds: 0.25 }, cwd: '/' }),
    /^Building directory tree for JobId\(s\) 1 \.\.\. {2}1,000 files inserted into the tree \(0\.3 s\)\.\nYou are now entering file selection mode[^]*\n\ncwd is: \/$/);
});
