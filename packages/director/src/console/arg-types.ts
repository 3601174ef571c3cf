/**
 * The kinds of argument console commands take, as zod schemas that read both forms of
 * input: the strings of a console line (`limit=10`, `jobid=1,2`, a bare `yes`) and
 * JSON (`{"limit": 10, "jobid": [1, 2], "yes": true}`), so bconsole and an HTTP API
 * check arguments with one schema. Their messages hold `%k` where the keyword goes;
 * `argsError` turns zod's issues into one BAD_REQUEST that names each keyword.
 */
import { z } from 'zod';
import { BurrowError } from '@burrow/common/errors/index';

/** Where a message names its keyword (`jobid=`), or the word of a positional field. */
const KEY = '%k';

function shown(input: unknown): string {
  return typeof input === 'string' ? `"${input}"` : JSON.stringify(input) ?? String(input);
}

/** A message for a value that is not a single piece of text. */
function notText(input: unknown): string {
  if (input === undefined || input === '') return `missing ${KEY}`;
  if (input === true) return `${KEY} needs a value`;
  if (Array.isArray(input)) return `${KEY} given more than once`;
  return `${KEY} must be text, not ${shown(input)}`;
}

/** One piece of text, not empty (a name, a path, a date). */
export const text = (): z.ZodString => z.string({ error: (iss) => notText(iss.input) }).min(1, { error: `missing ${KEY}` });

/** Text that may be empty (`where=` for the original location). */
export const maybeEmpty = (): z.ZodString => z.string({ error: (iss) => notText(iss.input) });

/** A bare keyword (`yes`, `all`, `listing`); JSON says true or false. */
export const flag = (): z.ZodBoolean => z.boolean({ error: (iss) => `${KEY} takes no value, not ${shown(iss.input)}` });

/** A whole number, 0 or more (`limit=10`, `days=3`, `pathid=7`). */
export const count = () => z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d+$/).transform(Number),
], { error: (iss) => (iss.input === undefined ? `missing ${KEY}` : iss.input === true ? `${KEY} needs a value` : `${KEY} must be a number, not ${shown(iss.input)}`) });

/** Numbers as Bareos writes id lists: `jobid=1,2,3`, also given twice (`jobid=1 jobid=2`), or a JSON array. */
export const ids = () => z.union([
  z.number().int().nonnegative().transform((n) => [n]),
  z.array(z.number().int().nonnegative()),
  z.union([z.string(), z.array(z.string())]).transform((v, ctx) => {
    const parts = (Array.isArray(v) ? v : [v]).flatMap((p) => p.split(','));
    if (!parts.every((p) => /^\d+$/.test(p.trim()))) {
      ctx.addIssue({ code: 'custom', message: `${KEY} must be numbers separated by commas, not ${shown(Array.isArray(v) ? v.join(',') : v)}` });
      return z.NEVER;
    }
    return parts.map((p) => Number(p.trim()));
  }),
], { error: (iss) => (iss.input === undefined ? `missing ${KEY}` : iss.input === true ? `${KEY} needs a value` : `${KEY} must be numbers separated by commas, not ${shown(iss.input)}`) });

/** A keyword that may be given several times (`file=/a file=/b`), or a JSON array. */
export const many = () => z.union([z.string().min(1), z.array(z.string().min(1))], {
  error: (iss) => (iss.input === undefined ? `missing ${KEY}` : iss.input === true ? `${KEY} needs a value` : `${KEY} must be text, not ${shown(iss.input)}`),
}).transform((v) => (Array.isArray(v) ? v : [v]));

/**
 * One of a fixed set of lower-case words, in any case (`.api JSON`, `list Jobs`);
 * `hint` says what to give when the word is none of them (default: the words).
 */
export const choice = <const T extends readonly [string, ...string[]]>(words: T, hint = `${KEY} must be one of ${words.join(', ')}`) => z.preprocess(
  (v) => (typeof v === 'string' ? v.toLowerCase() : v),
  z.enum(words, { error: (iss) => `${hint}, not ${shown(iss.input)}` }),
);

/**
 * One BAD_REQUEST for everything wrong with a command's arguments, each problem with
 * its keyword (`label: missing volume=`, `list: jobid= must be numbers ...`).
 */
export function argsError(command: { name: string; usage: string; positional?: string }, error: z.ZodError): BurrowError {
  const problems = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return `unknown keyword${issue.keys.length > 1 ? 's' : ''} ${keys}; usage: ${command.usage}`;
    }
    const key = String(issue.path[0] ?? '');
    // A positional field has no keyword to name: `list foo` says what list takes.
    const label = key === command.positional ? '' : `${key}=`;
    const message = issue.message.includes(KEY) ? issue.message.split(KEY).join(label) : `${label} ${issue.message}`;
    return message.trim();
  });
  return new BurrowError('BAD_REQUEST', `${command.name}: ${problems.join('; ')}`);
}
