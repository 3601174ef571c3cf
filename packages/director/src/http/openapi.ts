/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the same zod schemas that
 * check requests: each console command's argument schema becomes its request body, so
 * the document cannot drift from what the API accepts.
 */
import { z } from 'zod';
import type { Command } from '../console/command.js';
import { CommandReply, ErrorReply, LoginBody, LoginReply } from './schemas.js';
import { EVENTS_PATH } from './live-events.js';
import type { JobEventName } from '../jobs/events.js';

/** Every type of live event (jobs/events.ts): the record makes a new one a compile error here until it is listed. */
const EVENT_TYPE_SET: Record<JobEventName, true> = { queued: true, started: true, progress: true, waiting: true, resumed: true, ended: true, media: true, drive: true, volume: true };
const EVENT_TYPES = Object.keys(EVENT_TYPE_SET);

/** JSON Schema of what a client sends (input: before transforms; what zod cannot express is left open). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const json = (schema: Record<string, unknown>): Record<string, unknown> => ({ content: { 'application/json': { schema } } });
const errorRef = { $ref: '#/components/schemas/Error' };

export function openApiDocument(commands: ReadonlyMap<string, Command>, version: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {
    '/api/v1/login': {
      post: {
        summary: 'Log in with a Console name and password; the token expires (Http Token Lifetime)',
        security: [],
        requestBody: { required: true, ...json(jsonSchema(LoginBody)) },
        responses: {
          200: { description: 'Logged in', ...json(jsonSchema(LoginReply, 'output')) },
          400: { description: 'Malformed body; the message names the field', ...json(errorRef) },
          401: { description: 'Wrong console name or password', ...json(errorRef) },
          429: { description: 'Too many logins from this address; try again later' },
        },
      },
    },
    '/api/v1/logout': {
      post: { summary: 'Ends this token\'s session', responses: { 204: { description: 'Logged out' }, 401: { description: 'No valid token', ...json(errorRef) } } },
    },
    [EVENTS_PATH]: {
      get: {
        summary: 'Live events over a WebSocket (an upgrade; the token in the query, as a browser cannot set headers on it)',
        description: 'Each message is one JSON object with a `type`: '
          + `${EVENT_TYPES.join(', ')} (docs/http-api.md, "Live events"). A console gets those of the jobs, storages and pools its ACLs let it see.`,
        security: [],
        parameters: [{ name: 'token', in: 'query', required: true, schema: { type: 'string' }, description: 'A token from /api/v1/login' }],
        responses: {
          101: { description: 'Switching to the WebSocket protocol: the events follow' },
          401: { description: 'No valid token' },
        },
      },
    },
  };
  for (const c of commands.values()) {
    paths[`/api/v1/commands/${c.name}`] = {
      post: {
        operationId: `command_${c.name.replace(/^\./, 'dot_')}`,
        summary: c.help,
        description: `The console command \`${c.usage}\`; the body holds its keywords as JSON (a bare keyword is true, a repeated one a list).`,
        requestBody: { required: false, ...json(jsonSchema(c.args)) },
        responses: {
          200: { description: 'The command ran; `ok` says whether it succeeded', ...json({ $ref: '#/components/schemas/CommandReply' }) },
          400: { description: 'Malformed arguments; the message names the keyword', ...json(errorRef) },
          401: { description: 'No valid token', ...json(errorRef) },
          403: { description: 'Not permitted for this Console (its CommandACL)', ...json(errorRef) },
          404: { description: 'Not found, or outside this Console\'s ACLs', ...json(errorRef) },
          409: { description: 'The command could not do it', ...json(errorRef) },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Burrow Director HTTP API', version },
    components: {
      securitySchemes: { token: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: jsonSchema(ErrorReply, 'output'), CommandReply: jsonSchema(CommandReply, 'output') },
    },
    security: [{ token: [] }],
    paths,
  };
}
