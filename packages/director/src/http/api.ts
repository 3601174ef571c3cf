/**
 * The Director's HTTP API (docs/http-api.md, docs/adr/0008-http-api.md): a login that
 * trades a Console's name and password for an expiring token, and every console
 * command at `POST /api/v1/commands/NAME` with its keywords as a JSON body. Commands run
 * through the console's own `dispatch` with the token's console session, so CommandACL,
 * the other ACLs, the auditing and the result are those bconsole and `.api json` get:
 * nothing is written twice. Every command that changes something is logged with the
 * console that asked and its address.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { BurrowError } from '@burrow/common/errors/index';
import type { Logger } from '@burrow/common/log/index';
import { VERSION } from '@burrow/common/daemon/version';
import type { Command, ConsoleServices } from '../console/command.js';
import { consoleContext, dispatch } from '../console/session.js';
import { changesSomething, requestLine } from './changes.js';
import { httpError } from './errors.js';
import { checkLogin } from './login.js';
import { openApiDocument } from './openapi.js';
import { fieldProblems, LoginBody } from './schemas.js';
import type { HttpLogin, TokenStore } from './tokens.js';
import { liveEvents } from './live-events.js';
import { serveDashboard } from './dashboard.js';

/** Logins per address and console name within a minute, before 429 (a password guesser's pace). */
const LOGINS_PER_MINUTE = 10;

export interface ApiParts {
  services: ConsoleServices;
  tokens: TokenStore;
  log: Logger;
  /** Fastify's own server options (TLS). */
  https?: { key: Buffer; cert: Buffer };
}

export async function buildApi(parts: ApiParts): Promise<FastifyInstance> {
  // Routes do not care which server carries them; fastify's types would make every call a union of two.
  const app = (parts.https ? Fastify({ https: parts.https }) : Fastify()) as unknown as FastifyInstance;
  await app.register(rateLimit, { global: false });
  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    // Fastify's own refusals (unparsable JSON, a wrong content type) keep their 4xx status.
    if (err.statusCode && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: { code: err.statusCode === 429 ? 'NOT_ALLOWED' : 'BAD_REQUEST', message: err.message } });
    }
    parts.log.error({ err: err.message }, 'HTTP API request failed');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: err.message } });
  });
  const events = liveEvents(parts);
  app.server.on('upgrade', (req, socket, head) => {
    if (!events.upgrade(req, socket, head)) socket.destroy();
  });
  app.addHook('onClose', async () => events.close());
  const document = openApiDocument(parts.services.commands, VERSION);
  app.get('/api/v1/openapi.json', () => document);
  serveDashboard(app);
  app.post('/api/v1/login', {
    config: {
      rateLimit: {
        max: LOGINS_PER_MINUTE, timeWindow: '1 minute', hook: 'preHandler',
        keyGenerator: (req: FastifyRequest) => `${req.ip}\0${String((req.body as { console?: unknown } | undefined)?.console ?? '').toLowerCase()}`,
      },
    },
  }, (req, reply) => login(parts, req, reply));
  app.post('/api/v1/logout', (req, reply) => {
    const token = bearer(req);
    if (!token || !parts.tokens.revoke(token)) return sendError(reply, new BurrowError('AUTH_FAILED', 'no valid token'));
    return reply.code(204).send();
  });
  for (const command of parts.services.commands.values()) {
    app.post(`/api/v1/commands/${command.name}`, (req, reply) => runCommand(parts, command, req, reply));
  }
  return app;
}

function login(parts: ApiParts, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = LoginBody.safeParse(req.body ?? {});
  if (!body.success) return sendError(reply, new BurrowError('BAD_REQUEST', fieldProblems(body.error)));
  const name = checkLogin(parts.services.live.current.config, body.data.console, body.data.password);
  if (!name) {
    parts.services.live.current.daemonMessage('security', `HTTP API: login of console "${body.data.console}" from ${req.ip} refused: wrong name or password.`);
    return sendError(reply, new BurrowError('AUTH_FAILED', 'wrong console name or password'));
  }
  const issued = parts.tokens.issue(name, req.ip);
  parts.log.info({ console: name, from: req.ip }, 'HTTP API login');
  return reply.send({ ...issued, console: name });
}

async function runCommand(parts: ApiParts, command: Command, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const who = authenticated(parts, req);
  if (!who) return sendError(reply, new BurrowError('AUTH_FAILED', 'no valid token: log in at /api/v1/login'));
  const input = req.body ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) return sendError(reply, new BurrowError('BAD_REQUEST', 'the body must be a JSON object of the command\'s keywords'));
  const line = requestLine(command.name, input);
  const ctx = consoleContext(parts.services, who.session);
  let outcome = 'ok';
  try {
    const result = await dispatch(ctx, command, input, `${line} (HTTP)`);
    if (result.next) {
      // No conversation over HTTP (ADR 0005): the caller gives every answer as arguments.
      throw new BurrowError('BAD_REQUEST', `${command.name}: would ask "${result.next.prompt.trim()}"; over HTTP give every answer as arguments (yes: true)`);
    }
    if (!result.ok) outcome = 'failed';
    return await reply.send({ ok: result.ok, result: result.result });
  } catch (err) {
    const { status, body } = httpError(err);
    outcome = `refused: ${body.error.message}`;
    return await reply.code(status).send(body);
  } finally {
    if (changesSomething(command.name)) {
      const text = `Console "${who.consoleName}" from ${req.ip} (HTTP API): ${line}: ${outcome}`;
      parts.log.info({ console: who.consoleName, from: req.ip, command: command.name, outcome }, text);
      await ctx.catalog.addLog(null, ctx.env.clock.now(), text);
    }
  }
}

function authenticated(parts: ApiParts, req: FastifyRequest): HttpLogin | undefined {
  const token = bearer(req);
  return token === undefined ? undefined : parts.tokens.find(token);
}

function bearer(req: FastifyRequest): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  const { status, body } = httpError(err);
  return reply.code(status).send(body);
}
