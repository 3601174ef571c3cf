// Drives and changer slots: for each Storage this console may use, its drives as the
// Storage daemon reports them (`status storage=`: loaded volume, writing, reading, idle,
// waiting for the operator, unmounted) with Mount, Unmount and Release, and for an
// autochanger its slots (`status slots`). Drawn again, without polling, on the live
// events that change them: a drive's (a job's session reserved it, a volume was mounted
// or labelled on it, it was unmounted, released or freed), a job's wait for the operator
// and its end, anyone's media command; or on Refresh.
import { $, act, command, el, cell, onLiveEvent } from './api.js';

const STATE_WORDS = { idle: 'idle', reserved: 'reserved', appending: 'writing', reading: 'reading', waiting: 'waiting for the operator', unmounted: 'unmounted' };

let storages = [];
let pending = null;
/** The SD's reply to the last drive command, by storage, shown under its drives until the next one. */
const replies = new Map();
/** What was typed in each drive's slot box, by storage and drive: a redraw (another's command, a job) keeps it. */
const typedSlots = new Map();

export async function refreshStorages() {
  const { result } = await command('show', { kind: 'storages' });
  storages = result.resources.map((r) => r.name);
  await drawStorages();
}

async function drawStorages() {
  const blocks = await Promise.all(storages.map(storageBlock));
  $('#storage-list').replaceChildren(...blocks);
}

/** One storage: its drives and, for an autochanger, its slots; a daemon that cannot be reached says so. */
async function storageBlock(storage) {
  const block = el('div', { className: 'storage' }, el('h3', { textContent: storage }));
  block.dataset.storage = storage;
  const said = replies.get(storage);
  const reply = el('pre', { className: 'reply', textContent: said ?? '', hidden: said === undefined });
  try {
    const { result } = await command('status', { storage });
    block.append(drivesTable(storage, result), reply);
    if (result.autochanger) {
      const { result: s } = await command('status', { what: 'slots', storage });
      block.append(slotsTable(s.slots));
    }
  } catch (err) {
    block.append(el('p', { className: 'error', textContent: String(err.message ?? err) }));
  }
  return block;
}

function drivesTable(storage, status) {
  const rows = status.drives.map((d) => {
    const jobs = [...d.reservedBy.map((r) => `JobId ${r.jobId} (to ${r.mode === 'append' ? 'write' : 'read'})`),
      ...d.waits.map((w) => `JobId ${w.jobId} waits for ${w.volume ? `Volume "${w.volume}"` : 'a volume'}`)].join(', ');
    const key = `${storage}\0${d.drive}`;
    const slot = el('input', { type: 'number', min: '1', placeholder: 'slot', className: 'slot', hidden: !status.autochanger, value: typedSlots.get(key) ?? '' });
    slot.oninput = () => typedSlots.set(key, slot.value);
    const button = (action) => el('button', {
      type: 'button', textContent: action[0].toUpperCase() + action.slice(1),
      onclick: () => act(() => {
        // What was typed, even into a box a redraw has since replaced.
        const typed = typedSlots.get(key) ?? slot.value;
        const loads = action === 'mount' && typed !== '';
        if (loads) typedSlots.delete(key);
        return driveAction(action, { storage, drive: d.drive, ...(loads ? { slot: Number(typed) } : {}) });
      }),
    });
    const row = el('tr', { className: `drive ${d.state}` }, cell(d.drive), cell(d.printName), cell(STATE_WORDS[d.state] ?? d.state, 'state'),
      cell(d.volume?.name ?? '', 'volume'), cell(d.volume?.pool ?? d.pool ?? ''), cell(jobs),
      el('td', {}, slot, ' ', button('mount'), ' ', button('unmount'), ' ', button('release')));
    row.dataset.drive = String(d.drive);
    return row;
  });
  return el('table', { className: 'drives' },
    el('thead', {}, el('tr', {}, ...['Drive', 'Device', 'State', 'Volume', 'Pool', 'Jobs', ''].map((h) => el('th', { textContent: h })))),
    el('tbody', {}, ...rows));
}

function slotsTable(slots) {
  const rows = slots.map((s) => {
    const where = s.loaded ? 'in a drive' : s.importexport ? 'import/export' : '';
    const row = el('tr', { className: s.loaded ? 'loaded' : '' }, cell(s.slot), cell(s.volume), cell(s.volstatus), cell(s.mediatype), cell(s.pool), cell(where));
    row.dataset.slot = String(s.slot);
    return row;
  });
  return el('table', { className: 'slots' },
    el('thead', {}, el('tr', {}, ...['Slot', 'Volume', 'Status', 'Media type', 'Pool', ''].map((h) => el('th', { textContent: h })))),
    el('tbody', {}, ...rows));
}

/** mount, unmount or release; the SD's numbered reply is shown under the drives. */
async function driveAction(action, args) {
  const { result } = await command(action, args);
  replies.set(args.storage, result.text);
  await drawStorages();
}

/** Many events may come at once (a job's start, a media command): one redraw for them. */
function soon(ms = 300) {
  if (pending || storages.length === 0) return;
  pending = setTimeout(() => { pending = null; void act(drawStorages); }, ms);
}

/** After a drive is freed, how long until it is drawn once more. */
const AFTER_FREED_MS = 2000;

onLiveEvent((e) => {
  // A job that stopped first (a cancel) frees its drive a moment before the Storage daemon
  // lets it go: draw once more a little later, or the last drawing shows it reserved.
  if (e.type === 'drive' && e.change === 'freed') setTimeout(() => soon(0), AFTER_FREED_MS);
  if (['drive', 'waiting', 'resumed', 'ended', 'media'].includes(e.type)) soon();
});
$('#storages-refresh').addEventListener('click', () => act(drawStorages));
