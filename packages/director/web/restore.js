// The restore wizard: a client, a point in time (its latest state, its state before a
// date, or the state a backup job left), its files browsed a directory at a time
// (.bvfs_lsdirs, .bvfs_lsfiles), files and directories marked, where=, run
// (.bvfs_restore then `restore file=?b2N yes`), and the job followed to its end. Files
// are chosen by the tree's ids, never by name, so a name that is not UTF-8 is restored
// as it is; names are shown as the Director escapes them (\xNN), as text, never as HTML.
import { $, act, bytes, command, el, fillSelect, onLiveEvent } from './api.js';

/** How many entries one listing call brings; a "more" button fetches the next ones. */
const PAGE = 500;

const wizard = { client: '', jobids: [], dirs: new Set(), files: new Set(), selections: 0, following: null };

export async function refreshRestoreClients() {
  const { result } = await command('list', { what: 'clients' });
  fillSelect($('#restore-from select[name=client]'), result.clients.map((c) => [c.name, c.name]));
  await refreshBackups();
}

async function refreshBackups() {
  const client = $('#restore-from select[name=client]').value;
  if (!client) return;
  const { result } = await command('list', { what: 'backups', client });
  fillSelect($('#restore-from select[name=jobid]'), [...result.backups].reverse()
    .map((j) => [String(j.jobid), `JobId ${j.jobid}, ${j.level} of ${j.starttime} (${j.jobfiles} files)`]));
}

function showWhen() {
  const when = $('#restore-from select[name=when]').value;
  $('#restore-from input[name=before]').hidden = when !== 'before';
  $('#restore-from select[name=jobid]').hidden = when !== 'jobid';
}

/** The jobs that make up the chosen point in time, as the Director reckons them. */
async function pointInTime(form) {
  const client = form.get('client');
  const when = form.get('when');
  const args = when === 'jobid' ? { jobid: form.get('jobid') }
    : when === 'before' ? { client, before: String(form.get('before')).replace('T', ' ') }
      : { client };
  const { result } = await command('.bvfs_get_jobids', args);
  if (result.jobids.length === 0) throw new Error(`No backup of ${client} to restore from at that point in time.`);
  return result.jobids;
}

async function browse(form) {
  wizard.client = form.get('client');
  wizard.jobids = await pointInTime(form);
  wizard.dirs.clear(); wizard.files.clear();
  $('#restore-jobs').textContent = `Client ${wizard.client}, from JobId(s) ${wizard.jobids.join(',')}.`;
  const root = $('#restore-tree');
  root.replaceChildren();
  await listInto(root, 0, false, 0);
  $('#restore-browse').hidden = false;
  countMarks();
}

/** One page of a directory's subdirectories and files, appended to `list`. */
async function listInto(list, pathid, inherited, offset) {
  const jobid = wizard.jobids.join(',');
  const [{ result: d }, { result: f }] = await Promise.all([
    command('.bvfs_lsdirs', { jobid, pathid, offset, limit: PAGE }),
    command('.bvfs_lsfiles', { jobid, pathid, offset, limit: PAGE }),
  ]);
  const dirs = d.directories.filter((e) => e.name !== '.' && e.name !== '..');
  list.append(...dirs.map((e) => entryItem(e, inherited)), ...f.files.map((e) => entryItem(e, inherited)));
  if (dirs.length === PAGE || f.files.length === PAGE) {
    const more = el('button', { type: 'button', className: 'more', textContent: 'more…' });
    more.onclick = () => act(async () => { more.remove(); await listInto(list, pathid, inherited, offset + PAGE); });
    list.append(el('li', {}, more));
  }
}

function entryItem(e, inherited) {
  const isDir = e.type === 'D';
  const id = isDir ? e.pathid : e.fileid;
  const box = el('input', { type: 'checkbox', checked: inherited, disabled: inherited, title: `Restore ${e.path}` });
  const name = el('span', { className: 'name', textContent: isDir ? `${e.name}/` : e.name, title: e.path });
  const item = el('li', { className: isDir ? 'dir' : 'file' }, box, ' ', name);
  item.dataset[isDir ? 'pathid' : 'fileid'] = String(id);
  // The name as shown (escaped), for scripts and tests to find an entry by; the selection itself goes by id.
  item.dataset.name = e.name;
  if (!isDir) item.append(el('span', { className: 'size', textContent: ` ${bytes(e.size)}` }));
  box.onchange = () => mark(item, isDir, id, box.checked);
  if (isDir) {
    const open = el('button', { type: 'button', className: 'open', textContent: '▸', title: 'Open' });
    item.prepend(open, ' ');
    open.onclick = () => act(() => toggle(item, open, id));
  }
  return item;
}

async function toggle(item, open, pathid) {
  const sub = item.querySelector(':scope > ul');
  if (sub) { sub.hidden = !sub.hidden; open.textContent = sub.hidden ? '▸' : '▾'; return; }
  const list = el('ul');
  item.append(list);
  open.textContent = '▾';
  await listInto(list, pathid, item.querySelector(':scope > input').checked, 0);
}

/** A marked directory takes all below it: their own marks are dropped and their boxes follow it. */
function mark(item, isDir, id, on) {
  (isDir ? wizard.dirs : wizard.files)[on ? 'add' : 'delete'](id);
  for (const below of item.querySelectorAll('li')) {
    const box = below.querySelector(':scope > input');
    box.checked = on; box.disabled = on;
    if (below.dataset.pathid) wizard.dirs.delete(Number(below.dataset.pathid));
    if (below.dataset.fileid) wizard.files.delete(Number(below.dataset.fileid));
  }
  countMarks();
}

function countMarks() {
  $('#restore-count').textContent = `${wizard.dirs.size} directories and ${wizard.files.size} files marked.`;
  $('#restore-run button').disabled = wizard.dirs.size + wizard.files.size === 0;
}

async function run(form) {
  const path = `b2${Date.now() % 1_000_000}${wizard.selections++}`;
  await command('.bvfs_restore', { jobid: wizard.jobids, fileid: [...wizard.files], dirid: [...wizard.dirs], path });
  const where = String(form.get('where') ?? '');
  const { result } = await command('restore', { client: wizard.client, file: `?${path}`, ...(where ? { where } : {}), yes: true });
  wizard.following = result.jobid;
  const follow = $('#restore-follow');
  follow.dataset.jobid = String(result.jobid);
  delete follow.dataset.status;
  follow.textContent = `Restore JobId ${result.jobid} queued: ${result.files} files from volume(s) ${result.volumes.join(', ')} to ${result.where || 'their original place'}.`;
  // A small restore may have ended before its answer came back.
  const ended = endedJobs.get(result.jobid);
  if (ended) followJob(ended);
}

/** The last jobs that ended, by JobId: the restore's end may be told before `restore` answers. */
const endedJobs = new Map();

// The restore job's progress and end, from the live events.
onLiveEvent((e) => {
  if (e.type === 'ended') {
    endedJobs.set(e.jobId, e);
    if (endedJobs.size > 50) endedJobs.delete(endedJobs.keys().next().value);
  }
  if (e.jobId !== undefined && e.jobId === wizard.following) followJob(e);
});

function followJob(e) {
  const follow = $('#restore-follow');
  if (e.type === 'started') follow.textContent = `Restore JobId ${e.jobId} running.`;
  if (e.type === 'progress') follow.textContent = `Restore JobId ${e.jobId} running: ${e.files} files, ${bytes(e.bytes)}.`;
  if (e.type === 'waiting') follow.textContent = `Restore JobId ${e.jobId} waits: ${e.words}: ${e.detail}`;
  if (e.type === 'ended') {
    follow.dataset.status = e.status;
    follow.textContent = `Restore JobId ${e.jobId} ended: ${e.status === 'T' ? 'Restore OK' : `status ${e.status}`}. Click it in the jobs list for its log.`;
  }
}

$('#restore-from select[name=client]').addEventListener('change', () => act(refreshBackups));
$('#restore-from select[name=when]').addEventListener('change', showWhen);
$('#restore-from').addEventListener('submit', (ev) => { ev.preventDefault(); void act(() => browse(new FormData(ev.target))); });
$('#restore-run').addEventListener('submit', (ev) => { ev.preventDefault(); void act(() => run(new FormData(ev.target))); });
showWhen();
