// Burrow's dashboard: plain DOM over the HTTP API (docs/http-api.md). Every action is a
// console command through /api/v1/commands/NAME, under the logged-in Console's ACLs;
// running jobs, their progress and the operator's requests come from the live events.
const $ = (sel) => document.querySelector(sel);
const state = { token: sessionStorage.getItem('burrow-token'), running: new Map(), requests: new Map(), lastBytes: new Map(), socket: null };

async function command(name, args = {}) {
  const res = await fetch(`/api/v1/commands/${name}`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${state.token}` }, body: JSON.stringify(args),
  });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) { logout(); throw new Error('Logged out: log in again.'); }
  if (!res.ok) throw new Error(body.error?.message ?? `${name} failed (${res.status})`);
  return body;
}

function showError(err) { $('#error').textContent = err ? String(err.message ?? err) : ''; }
async function act(work) { showError(null); try { await work(); } catch (err) { showError(err); } }

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  for (const c of children) e.append(c);
  return e;
}
const cell = (text, cls) => el('td', { textContent: text ?? '', className: cls ?? '' });
function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

// ---- login
$('#login').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = new FormData(ev.target);
  const res = await fetch('/api/v1/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ console: form.get('console'), password: form.get('password') }) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) { $('#login-error').textContent = body.error?.message ?? `refused (${res.status})`; return; }
  state.token = body.token;
  sessionStorage.setItem('burrow-token', body.token);
  sessionStorage.setItem('burrow-console', body.console);
  start();
});
$('#logout').addEventListener('click', async () => { await fetch('/api/v1/logout', { method: 'POST', headers: { authorization: `Bearer ${state.token}` } }); logout(); });

function logout() {
  state.token = null;
  sessionStorage.removeItem('burrow-token');
  state.socket?.close();
  $('#board').hidden = true; $('#logout').hidden = true; $('#login').hidden = false; $('#who').textContent = '';
}

// ---- running jobs and operator requests, from the live events
function follow() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/api/v1/events?token=${encodeURIComponent(state.token)}`);
  state.socket = socket;
  socket.onmessage = (m) => onEvent(JSON.parse(m.data));
  socket.onclose = () => { if (state.token && state.socket === socket) setTimeout(follow, 2000); };
}

function onEvent(e) {
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
  }
  drawRunning(); drawRequests();
}

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
async function refreshJobs() {
  const { result } = await command('list', { what: 'jobs', limit: 200 });
  const dayAgo = Date.now() - 86_400_000;
  const failed = (j) => !['T', 'W', 'C', 'R'].includes(j.jobstatus);
  const jobs = result.jobs.filter((j) => !j.starttime || Date.parse(j.starttime.replace(' ', 'T')) >= dayAgo);
  for (const j of result.jobs) if (j.jobstatus === 'T' && j.type === 'B') state.lastBytes.set(j.name, j.jobbytes);
  jobs.sort((a, b) => Number(failed(b)) - Number(failed(a)) || b.jobid - a.jobid);
  $('#recent tbody').replaceChildren(...jobs.map((j) => {
    const row = el('tr', { className: failed(j) ? 'failed' : j.jobstatus === 'W' ? 'warned' : '' },
      cell(j.jobid), cell(j.name), cell(j.type), cell(j.level), cell(j.jobfiles, 'num'), cell(bytes(j.jobbytes), 'num'), cell(j.jobstatus), cell(j.endtime));
    row.dataset.jobid = String(j.jobid);
    row.onclick = () => act(() => showLog(j.jobid));
    return row;
  }));
  $('#job-names').replaceChildren(...[...new Set(result.jobs.map((j) => j.name))].map((n) => el('option', { value: n })));
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

async function refreshLists() { await refreshJobs(); await refreshVolumes(); }

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
}

if (state.token) start(); else $('#login').hidden = false;
