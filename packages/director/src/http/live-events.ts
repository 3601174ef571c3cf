/**
 * Live events over WebSocket at `/api/v1/events?token=TOKEN` (browsers cannot set an
 * Authorization header on a WebSocket): each job's queueing, start, progress, waits
 * for the operator and their end, and the operator's media commands (label, mount,
 * unmount, release, update...) whoever gave them, and what the Director learns of the
 * drives (a job's drive reserved, a volume mounted or labelled on it, a drive unmounted,
 * released or freed), as JSON text messages `{type, ...}`. A console sees the events of
 * the jobs its ACLs let it see, and the media commands and drive changes on the storages
 * and pools they let it see (a job's drive only if it sees the job); the check is made
 * for each event with the configuration in force, as a command would make it.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '@burrow/common/log/index';
import type { ConsoleServices } from '../console/command.js';
import { consoleContext } from '../console/session.js';
import { consoleScope } from '../console/scope.js';
import type { JobEventMap, JobEventName } from '../jobs/events.js';
import type { HttpLogin, TokenStore } from './tokens.js';

export const EVENTS_PATH = '/api/v1/events';

/** A follower that reads too slowly is dropped rather than kept in memory without end. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface LiveEvents {
  /** Takes an HTTP upgrade request; false when it is not for the events path. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): void;
}

export function liveEvents(o: { services: ConsoleServices; tokens: TokenStore; log: Logger }): LiveEvents {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  return {
    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://burrow');
      if (url.pathname !== EVENTS_PATH) return false;
      const login = o.tokens.find(url.searchParams.get('token') ?? '');
      if (!login) {
        socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nno valid token: log in at /api/v1/login\n');
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => follow(ws, login, o));
      return true;
    },
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

function follow(ws: WebSocket, login: HttpLogin, o: { services: ConsoleServices; tokens: TokenStore; log: Logger }): void {
  const { events } = o.services.queue;
  const jobIds = new Set<number>();
  const visible = (e: { name: string; client: string }): boolean =>
    consoleScope(consoleContext(o.services, login.session)).jobAllowed({ name: e.name, clientName: e.client });
  const storageAndPoolVisible = (e: { storage?: string; pool?: string }): boolean => {
    const scope = consoleScope(consoleContext(o.services, login.session));
    return (e.storage === undefined || scope.storageAllowed(e.storage)) && (e.pool === undefined || scope.poolAllowed(e.pool));
  };
  const send = (type: JobEventName, event: object): void => {
    // A token that expired or was logged out ends the stream too.
    if (!o.tokens.find(login.token)) {
      ws.close(4001, 'token expired');
      return;
    }
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify({ type, ...event }));
  };
  const onJob = <K extends 'queued' | 'started' | 'waiting' | 'resumed' | 'ended'>(type: K) => events.on(type, (e: JobEventMap[K]) => {
    if (!visible(e)) return;
    if (type === 'ended') jobIds.delete(e.jobId);
    else jobIds.add(e.jobId);
    send(type, e);
  });
  const stops = [
    onJob('queued'), onJob('started'), onJob('waiting'), onJob('resumed'), onJob('ended'),
    // Progress names no client: it goes to those who were shown the job's start.
    events.on('progress', (e) => { if (jobIds.has(e.jobId)) send('progress', e); }),
    events.on('media', (e) => { if (storageAndPoolVisible(e)) send('media', e); }),
    events.on('volume', (e) => { if (storageAndPoolVisible(e)) send('volume', e); }),
    // A job's drive goes to those who were shown the job's start, as its progress does.
    events.on('drive', (e) => { if (storageAndPoolVisible(e) && (e.jobId === undefined || jobIds.has(e.jobId))) send('drive', e); }),
  ];
  // Jobs already running when the follower came, and their waits: it learns of them at once.
  for (const j of o.services.queue.list()) {
    if (!visible({ name: j.name, client: j.client })) continue;
    jobIds.add(j.jobId);
    const subject = { jobId: j.jobId, job: j.job, name: j.name, kind: j.kind, level: j.level, client: j.client };
    send(j.state === 'waiting' ? 'queued' : 'started', subject);
    // A request the operator has not answered yet is told too, with what status dir says of it.
    if (j.wait) send('waiting', { ...subject, words: j.waitingFor, detail: j.wait.detail, since: j.wait.since });
  }
  ws.on('close', () => { for (const stop of stops) stop(); });
  ws.on('error', (err) => o.log.debug({ err: err.message }, 'live events follower failed'));
}
