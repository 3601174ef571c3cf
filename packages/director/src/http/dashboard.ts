/**
 * The dashboard's files (packages/director/web: one page, its scripts as ES modules and its style), served
 * by the HTTP API's server at /dashboard/. They are plain files, read once at start;
 * the page does everything through the API and its live events, under the logged-in
 * Console's ACLs, so it holds no rule of its own. The Content-Security-Policy lets the
 * page load nothing but its own files and talk to nothing but this server.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const WEB = new URL('../../web/', import.meta.url);
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8',
};

/** Every file of the folder, the page itself at /dashboard/. */
function files(): Array<{ file: string; path: string; type: string }> {
  return readdirSync(fileURLToPath(WEB)).flatMap((file) => {
    const type = TYPES[file.slice(file.lastIndexOf('.') + 1)];
    if (type === undefined) return [];
    return [{ file, path: file === 'index.html' ? '/dashboard/' : `/dashboard/${file}`, type }];
  });
}

export function serveDashboard(app: FastifyInstance): void {
  for (const f of files()) {
    const body = readFileSync(fileURLToPath(new URL(f.file, WEB)));
    app.get(f.path, (_req, reply) => reply.header('content-type', f.type).header('content-security-policy', CSP).header('cache-control', 'no-cache').send(body));
  }
  app.get('/', (_req, reply) => reply.redirect('/dashboard/'));
  app.get('/dashboard', (_req, reply) => reply.redirect('/dashboard/'));
}
