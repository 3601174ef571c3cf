/**
 * The HTTP API's own payloads (the commands bring theirs): zod schemas that check what
 * arrives and, through zod's JSON Schema output, describe it in the OpenAPI document.
 */
import { z } from 'zod';

export const LoginBody = z.object({
  console: z.string().min(1).describe('A Console resource name, or *UserAgent* for the default console'),
  password: z.string().describe("That Console's password (the Director's for *UserAgent*)"),
}).strict();

export const LoginReply = z.object({
  token: z.string().describe('Send as "Authorization: Bearer TOKEN"'),
  expiresAt: z.number().describe('Epoch milliseconds'),
  console: z.string(),
});

export const CommandReply = z.object({
  ok: z.boolean().describe('Whether the command succeeded, as bconsole\'s exit status says'),
  result: z.unknown().describe('The command\'s result, the same document `.api json` answers with'),
});

export const ErrorReply = z.object({
  error: z.object({ code: z.string().describe('A stable code of docs/errors.md'), message: z.string() }),
});

/** A zod error as the 400 names it: each field and what is wrong with it. */
export function fieldProblems(error: z.ZodError): string {
  return error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    return `field "${i.path.join('.') || '(body)'}": ${i.message}`;
  }).join('; ');
}
