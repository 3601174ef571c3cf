/**
 * Checks the end-to-end tests share: that the daemons still serve after a bad peer,
 * that a job ended the way we expect, raw TCP talk to a port, a field of `llist`.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { connect } from '@burrow/common/net/client';
import type { Channel } from '@burrow/common/net/channel';
import type { Burrow } from './daemons.js';

/** The Director answers a console, and reaches the SD and FD on their own ports. */
export async function assertAllServing(burrow: Burrow): Promise<void> {
  const r = await burrow.console(['status dir', 'status storage=File', 'status client=test-fd']);
  assert.equal(r.code, 0, `daemons stopped serving:\n${r.stdout}\n${r.stderr}\n${burrow.logs()}`);
  assert.match(r.stdout, /test-dir Version:/);
}

/** A small Full backup that must end well; returns its JobId. */
export async function assertBackupOk(burrow: Burrow): Promise<number> {
  const r = await burrow.console(['run job=backup-test yes', 'wait', 'messages']);
  assert.equal(r.code, 0, `backup failed:\n${r.stdout}\n${r.stderr}\n${burrow.logs()}`);
  assert.match(r.stdout, /Termination:\s+Backup OK\n/);
  const id = /JobId=(\d+)/.exec(r.stdout);
  assert.ok(id?.[1], r.stdout);
  return Number(id[1]);
}

/** The job ids the catalog holds, by `list jobs` in API mode. */
export async function jobIds(burrow: Burrow): Promise<number[]> {
  const r = await burrow.console(['.api json', 'list jobs']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const docs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { result?: { jobs?: Array<{ jobid: number }> } });
  return (docs[1]?.result?.jobs ?? []).map((j) => j.jobid);
}

/** The result of one console command in `.api json` mode. */
export async function apiResult<T>(burrow: Burrow, line: string): Promise<T> {
  const out = (await burrow.console(['.api json', line])).stdout;
  const doc = out.split('\n').filter((l) => l.startsWith('{')).pop() ?? '{}';
  return (JSON.parse(doc) as { result: T }).result;
}

/**
 * Bytes a daemon's threads have read so far (`rchar` of /proc/PID/task/TID/io: every
 * read and pread, page cache hits and sockets included): the growth over a restore
 * bounds what it read of its volumes. Summed over its threads, not taken from
 * /proc/PID/io, which also counts the children it reaped (a changer script, node
 * reading its modules); a thread that ends meanwhile would take its count with it, but
 * the readers (the main thread, libuv's pool) live as long as the daemon.
 */
export function bytesReadBy(burrow: Burrow, daemon: 'dir' | 'sd' | 'fd'): number {
  const pid = burrow.daemons.find((d) => d.name === daemon)?.process.pid;
  assert.ok(pid !== undefined, `no ${daemon} running`);
  let sum = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const io = readFileSync(`/proc/${pid}/task/${tid}/io`, 'utf8').split('\n').find((l) => l.startsWith('rchar:'));
    sum += Number(io?.split(':')[1] ?? 0);
  }
  return sum;
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Writes `bytes` to a port as plain TCP and waits for the peer to drop the
 * connection; returns what the peer sent back (a Burrow daemon sends no HTTP).
 */
export function sendRaw(port: number, bytes: Buffer, timeoutMs = 10_000): Promise<{ received: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = tcpConnect(port, '127.0.0.1', () => socket.write(bytes));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received: Buffer.concat(chunks), closed: false });
    }, timeoutMs);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received: Buffer.concat(chunks), closed: true });
    });
  });
}

/** One daemon's log lines (pino JSON) as readable text: level name, message, then the error if any. */
export function daemonLog(burrow: Burrow, name: 'dir' | 'sd' | 'fd'): string {
  const raw = burrow.daemons.find((d) => d.name === name)?.output() ?? '';
  const levels: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
  return raw.split('\n').filter(Boolean).map((line) => {
    try {
      const rec = JSON.parse(line) as { level?: number; msg?: string; err?: unknown; code?: string };
      const err = rec.err === undefined ? '' : ` (${typeof rec.err === 'string' ? rec.err.trim() : JSON.stringify(rec.err)})`;
      return `${levels[rec.level ?? 0] ?? rec.level} ${rec.code ? `[${rec.code}] ` : ''}${rec.msg ?? ''}${err}`;
    } catch {
      return line;
    }
  }).join('\n');
}

/** A console connection made the way bconsole makes it, for sending frames by hand. */
export function openConsole(burrow: Burrow, maxFrame?: number): Promise<Channel> {
  return connect({
    host: '127.0.0.1',
    port: burrow.ports.dir,
    self: { role: 'console', name: '*UserAgent*' },
    secret: burrow.passwords.console,
    peer: { role: 'director', name: 'test-dir' },
    describeTarget: 'Director test-dir',
    maxFrame,
  });
}

export interface Reply {
  ok: boolean;
  text: string;
  json: string;
}

/** Sends one command line and collects the Director's reply (all parts of it). */
export async function ask(channel: Channel, line: string): Promise<Reply> {
  await channel.send('consoleCommand', { text: line });
  const out: Reply = { ok: false, text: '', json: '' };
  for (;;) {
    const r = await channel.expect('consoleReply', AbortSignal.timeout(60_000));
    out.ok = r.ok;
    out.text += r.text;
    out.json += r.json;
    if (!r.more) return out;
  }
}

/** The value of one field of `llist volume=NAME` (`  volstatus: Append`). */
export function llistField(llist: string, name: string): string {
  const m = new RegExp(`^\\s*${name}: (.*)$`, 'm').exec(llist);
  assert.ok(m, `no ${name} in:\n${llist}`);
  return m[1]!;
}
