/**
 * A client of the Director's HTTP API for the tests: JSON in and out over HTTP or
 * HTTPS (trusting the test certificate of test/fixtures/http), with the status kept so
 * refusals can be checked, and a follower of the live events over WebSocket.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { REPO } from './paths.js';
import { waitFor } from './daemons.js';

/** The self-signed certificate (CN and subjectAltName localhost, 127.0.0.1) and its key. */
export const TEST_CERTIFICATE = join(REPO, 'test', 'fixtures', 'http', 'cert.pem');
export const TEST_KEY = join(REPO, 'test', 'fixtures', 'http', 'key.pem');

export interface ApiAnswer {
  status: number;
  // The API's JSON, read by each test as the shape it expects.
  body: any;
}

export class ApiClient {
  constructor(private readonly base: { port: number; https: boolean }) {}

  /** Sends `body` as JSON (none for undefined); `raw` sends the text as it is. */
  call(method: 'GET' | 'POST', path: string, o: { token?: string; body?: unknown; raw?: string } = {}): Promise<ApiAnswer> {
    const payload = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    const headers: Record<string, string> = {};
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    const options = { host: '127.0.0.1', port: this.base.port, method, path, headers };
    return new Promise((resolve, reject) => {
      const onResponse = (res: import('node:http').IncomingMessage): void => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // Not JSON: kept as text.
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      };
      const req = this.base.https
        ? httpsRequest({ ...options, ca: readFileSync(TEST_CERTIFICATE), servername: 'localhost' }, onResponse)
        : httpRequest(options, onResponse);
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Logs in; fails the test with the answer when refused. */
  async login(console: string, password: string): Promise<string> {
    const r = await this.call('POST', '/api/v1/login', { body: { console, password } });
    if (r.status !== 200) throw new Error(`login of ${console} refused: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  }

  command(token: string, name: string, args: Record<string, unknown> = {}): Promise<ApiAnswer> {
    return this.call('POST', `/api/v1/commands/${name}`, { token, body: args });
  }
}

/** A WebSocket follower of the live events: every message kept, in order. */
export interface Follower {
  readonly events: ReadonlyArray<Record<string, any>>;
  /** Resolves once an event matches; fails after 30 s with what came. */
  until(match: (e: Record<string, any>) => boolean): Promise<Record<string, any>>;
  close(): void;
}

export function follow(base: { port: number; https: boolean }, token: string): Promise<Follower> {
  const scheme = base.https ? 'wss' : 'ws';
  const ws = new WebSocket(`${scheme}://127.0.0.1:${base.port}/api/v1/events?token=${encodeURIComponent(token)}`,
    base.https ? { ca: readFileSync(TEST_CERTIFICATE) } : {});
  const events: Array<Record<string, any>> = [];
  ws.on('message', (data: Buffer) => events.push(JSON.parse(data.toString('utf8')) as Record<string, any>));
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('open', () => resolve({
      events,
      async until(match) {
        await waitFor(() => events.some(match), 30_000, () => `no such event among:\n${events.map((e) => JSON.stringify(e)).join('\n')}`);
        return events.find(match) as Record<string, any>;
      },
      close: () => ws.close(),
    }));
  });
}
