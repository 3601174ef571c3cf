// Burrow's dashboard: plain DOM over the HTTP API (docs/http-api.md). Every action is a
// console command through /api/v1/commands/NAME, under the logged-in Console's ACLs;
// running jobs, their progress and the operator's requests come from the live events.
// The restore wizard is restore.js, drives and changers drives.js; api.js holds what they share.
import { $, act, bytes, cell, command, el, fillSelect, onLiveEvent, session, tellLiveEvent } from './api.js';
import { refreshRestoreClients } from './restore.js';
import { refreshStorages } from './drives.js';

const state = { running: new Map(), requests: new Map(), lastBytes: new Map(), socket: null };
session.onLoggedOut = () => logout();

// ---- login
$('#login').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = new FormData(ev.target);
  const res = await fetch('/api/v1/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ console: form.get('console'), password: form.get('password') }) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) { $('#login-error').textContent = body.error?.message ?? `refused (${res.status})`; return; }
  session.token = body.token;
  sessionStorage.setItem('burrow-token', body.token);
  sessionStorage.setItem('burrow-console', body.console);
  start();
});
$('#logout').addEventListener('click', async () => { await fetch('/api/v1/logout', { method: 'POST', headers: { authorization: `Bearer ${session.token}` } }); logout(); });

function logout() {
  session.token = null;
  sessionStorage.removeItem('burrow-token');
  state.socket?.close();
  $('#board').hidden = true; $('#logout').hidden = true; $('#login').hidden = false; $('#who').textContent = '';
}

// ---- running jobs and operator requests, from the live events
function follow() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/api/v1/events?token=${encodeURIComponent(session.token)}`);
  state.socket = socket;
  socket.onmessage = (m) => tellLiveEvent(JSON.parse(m.data));
  socket.onclose = () => { if (session.token && state.socket === socket) setTimeout(follow, 2000); };
}

onLiveEvent((e) => {
  const job = state.running.get(e.jobId);
  switch (e.type) {
    case 'queued': case 'started':
      state.running.set(e.jobId, { ...job, ...e, state: e.type });
      break;
    case 'progress':
      if (job) Object.assign(job, { files: e.files, bytes: e.bytes, rate: e.bytesPerSecond, file: e.file });
      break;
    case 'waiting':
      state.requests.set(e.jobId, e);
      break;
    case 'resumed':
      state.requests.delete(e.jobId);
      break;
    case 'ended':
      state.running.delete(e.jobId); state.requests.delete(e.jobId);
      void act(refreshLists);
      break;
    case 'media':
      void act(refreshVolumes);
      break;
    case 'drive':
      // A volume new to the list: a job labelled it as it mounted it.
      if (e.labelled) void act(refreshVolumes);
      break;
    case 'volume':
      refreshVolumesSoon();
      break;
  }
  drawRunning(); drawRequests();
});

function drawRunning() {
  const body = $('#running tbody');
  body.replaceChildren(...[...state.running.values()].map((j) => {
    const expected = state.lastBytes.get(j.name);
    const share = expected ? Math.min(1, (j.bytes ?? 0) / expected) : null;
    const bar = el('span', { className: share === null ? 'bar unknown' : 'bar' }, el('span'));
    bar.firstChild.style.width = `${share === null ? 100 : Math.round(share * 100)}%`;
    bar.dataset.bytes = String(j.bytes ?? 0);
    bar.title = j.file ?? '';
    const words = j.state === 'queued' ? 'queued' : `${j.files ?? 0} files, ${bytes(j.bytes ?? 0)}${j.rate ? `, ${bytes(j.rate)}/s` : ''}`;
    const cancel = el('button', { textContent: 'Cancel', onclick: () => act(() => command('cancel', { jobid: j.jobId })) });
    const row = el('tr', {}, cell(j.jobId), cell(j.name), cell(j.level), cell(j.client), el('td', {}, bar, ' ', words), el('td', {}, cancel));
    row.dataset.jobid = String(j.jobId);
    return row;
  }));
}

function drawRequests() {
  const list = $('#requests');
  if (state.requests.size === 0) { list.replaceChildren(el('li', { className: 'none', textContent: 'None.' })); return; }
  list.replaceChildren(...[...state.requests.values()].map((w) => {
    const storage = /Storage "([^"]+)"/.exec(w.detail)?.[1] ?? '';
    const pool = /Pool "([^"]+)"/.exec(w.detail)?.[1] ?? '';
    const name = el('input', { placeholder: 'New volume name', required: true });
    const label = el('button', { textContent: 'Label', onclick: () => act(() => command('label', { storage, pool, volume: name.value })) });
    const item = el('li', {}, `JobId ${w.jobId} ${w.name} ${w.words}: ${w.detail} `, name, ' ', label);
    item.dataset.jobid = String(w.jobId);
    return item;
  }));
}

// ---- lists
/** The job list's filters, as `list jobs` takes them (empty ones left out). */
function jobFilters() {
  const f = new FormData($('#job-filter'));
  return Object.fromEntries([...f].filter(([, v]) => v !== ''));
}

async function refreshJobs() {
  const { result } = await command('list', { what: 'jobs', limit: 500, ...jobFilters() });
  const failed = (j) => !['T', 'W', 'C', 'R'].includes(j.jobstatus);
  const jobs = [...result.jobs].sort((a, b) => Number(failed(b)) - Number(failed(a)) || b.jobid - a.jobid);
  $('#recent tbody').replaceChildren(...jobs.map((j) => {
    const row = el('tr', { className: failed(j) ? 'failed' : j.jobstatus === 'W' ? 'warned' : '' },
      cell(j.jobid), cell(j.name), cell(j.type), cell(j.level), cell(j.jobfiles, 'num'), cell(bytes(j.jobbytes), 'num'), cell(j.jobstatus), cell(j.endtime), cell(j.client));
    row.dataset.jobid = String(j.jobid);
    row.onclick = () => act(() => showLog(j.jobid));
    return row;
  }));
  // What a running backup's bar is measured against: the bytes of its Job's last good backup.
  const good = await command('list', { what: 'jobs', jobtype: 'B', jobstatus: 'T', limit: 200 });
  for (const j of good.result.jobs) state.lastBytes.set(j.name, j.jobbytes);
}

/** The Run box's and the filters' choices: the Job and Client resources this console may use. */
async function refreshChoices() {
  const [jobs, clients] = await Promise.all([command('show', { kind: 'jobs' }), command('list', { what: 'clients' })]);
  $('#job-names').replaceChildren(...jobs.result.resources.map((r) => el('option', { value: r.name })));
  fillSelect($('#job-filter select[name=client]'), [['', 'All clients'], ...clients.result.clients.map((c) => [c.name, c.name])]);
}

async function showLog(jobId) {
  const { result } = await command('list', { what: 'joblog', jobid: jobId });
  const log = $('#joblog');
  log.textContent = result.joblog.join('\n');
  log.hidden = false;
}

async function refreshVolumes() {
  const { result } = await command('list', { what: 'volumes' });
  $('#volumes tbody').replaceChildren(...result.volumes.map((v) => {
    const bar = el('span', { className: 'bar' }, el('span'));
    bar.firstChild.style.width = v.maxvolbytes ? `${Math.min(100, Math.round((100 * v.volbytes) / v.maxvolbytes))}%` : '0%';
    const row = el('tr', {}, cell(v.pool), cell(v.volumename), cell(v.volstatus), cell(bytes(v.volbytes), 'num'), el('td', {}, bar), cell(v.storage));
    row.dataset.volume = v.volumename;
    return row;
  }));
}

// A job's end or an `update slots` changes many volumes at once: one refresh for them all.
let volumesDue = null;
function refreshVolumesSoon() {
  if (volumesDue !== null) return;
  volumesDue = setTimeout(() => { volumesDue = null; void act(refreshVolumes); }, 300);
}

async function refreshLists() { await refreshJobs(); await refreshVolumes(); }

$('#job-filter').addEventListener('change', () => act(refreshJobs));
$('#job-filter').addEventListener('submit', (ev) => { ev.preventDefault(); void act(refreshJobs); });
$('#run').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const job = new FormData(ev.target).get('job');
  void act(() => command('run', { job, yes: true }));
});
$('#label').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const f = new FormData(ev.target);
  void act(async () => { await command('label', { storage: f.get('storage'), pool: f.get('pool'), volume: f.get('volume') }); await refreshVolumes(); });
});

function start() {
  $('#login').hidden = true; $('#board').hidden = false; $('#logout').hidden = false;
  $('#who').textContent = sessionStorage.getItem('burrow-console') ?? '';
  state.running.clear(); state.requests.clear();
  follow();
  void act(refreshLists);
  void act(refreshChoices);
  void act(refreshRestoreClients);
  void act(refreshStorages);
}

if (session.token) start(); else $('#login').hidden = false;
