// What every part of the dashboard shares: the login's token, a console command through
// the HTTP API (/api/v1/commands/NAME, under the logged-in Console's ACLs), the live
// events passed on to whoever listens, errors shown in one place, and small DOM helpers.
export const $ = (sel) => document.querySelector(sel);

export const session = {
  token: sessionStorage.getItem('burrow-token'),
  /** Called when the token is refused (expired, logged out elsewhere). */
  onLoggedOut: () => {},
};

export async function command(name, args = {}) {
  const res = await fetch(`/api/v1/commands/${name}`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` }, body: JSON.stringify(args),
  });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) { session.onLoggedOut(); throw new Error('Logged out: log in again.'); }
  if (!res.ok) throw new Error(body.error?.message ?? `${name} failed (${res.status})`);
  return body;
}

// Live events (queued, started, progress, waiting, resumed, ended, media, drive): each listener gets every one.
const listeners = new Set();
export function onLiveEvent(listener) { listeners.add(listener); }
export function tellLiveEvent(e) { for (const l of listeners) l(e); }

export function showError(err) { $('#error').textContent = err ? String(err.message ?? err) : ''; }
export async function act(work) { showError(null); try { await work(); } catch (err) { showError(err); } }

export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  for (const c of children) e.append(c);
  return e;
}
export const cell = (text, cls) => el('td', { textContent: text ?? '', className: cls ?? '' });

export function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

/** Options of a <select>: [value, text] pairs, the first one chosen unless `keep` is still offered. */
export function fillSelect(select, pairs, keep = select.value) {
  select.replaceChildren(...pairs.map(([value, text]) => el('option', { value, textContent: text })));
  if (pairs.some(([v]) => v === keep)) select.value = keep;
}
