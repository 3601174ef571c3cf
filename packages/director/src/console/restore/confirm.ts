/**
 * The end of a restore conversation, as Bareos has it: the summary, then
 * `OK to run? (yes/mod/no):`; `mod` offers the options to change (where, regexwhere,
 * strip_prefix, add_prefix, add_suffix, replace, restore client), asks for the value
 * and shows the summary again.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { ask, type ConsoleContext } from '../command.js';
import { summarize, type RestoreOptions, type RestoreSelection } from './selection.js';
import { canceled, QUESTION, type Preface, type RestoreQuestion, type RestoreReply } from './result.js';

const MODIFIABLE: Array<{ key: keyof RestoreOptions; title: string }> = [
  { key: 'where', title: 'Where (a path, or empty for the original location)' },
  { key: 'regexwhere', title: 'RegexWhere (!from!to!,...)' },
  { key: 'strip_prefix', title: 'Strip prefix' },
  { key: 'add_prefix', title: 'Add prefix' },
  { key: 'add_suffix', title: 'Add suffix' },
  { key: 'replace', title: 'Replace (always, ifnewer, ifolder, never)' },
  { key: 'restoreclient', title: 'Restore Client' },
];

/** Shows the summary and runs at once (`yes` given), or asks yes/mod/no. */
export async function confirm(ctx: ConsoleContext, s: RestoreSelection, yes: boolean, preface: Preface = null): Promise<RestoreReply> {
  const { summary, submit } = await summarize(ctx, s);
  if (yes) return { kind: 'queued', preface, started: true, jobid: await submit(), ...summary };
  return ask({ kind: 'summary', preface, started: false, ...summary }, okToRun(s));
}

function okToRun(s: RestoreSelection): RestoreQuestion {
  return {
    prompt: 'OK to run? (yes/mod/no): ',
    answer: (ctx, line) => {
      const word = line.trim().toLowerCase();
      if (word === 'yes' || word === 'y') return confirm(ctx, s, true);
      if (word === 'no' || word === 'n') return canceled();
      if (word === 'mod' || word === 'm') return ask({ kind: 'modify', options: MODIFIABLE.map((m) => m.title) }, chooseOption(s));
      throw new BurrowError('BAD_REQUEST', 'answer yes, mod or no');
    },
  };
}

function chooseOption(s: RestoreSelection): RestoreQuestion {
  return {
    prompt: `Select parameter to modify (1-${MODIFIABLE.length}): `,
    answer: (_ctx, line) => {
      const n = Number(line.trim());
      const option = MODIFIABLE[n - 1];
      if (!Number.isInteger(n) || option === undefined) throw new BurrowError('BAD_REQUEST', `give a number from 1 to ${MODIFIABLE.length}`);
      return ask(QUESTION, newValue(s, option.key, option.title));
    },
  };
}

function newValue(s: RestoreSelection, key: keyof RestoreOptions, title: string): RestoreQuestion {
  return {
    prompt: `${title}: `,
    answer: (ctx, line) => {
      const value = line.trim();
      const options: RestoreOptions = { ...s.options, [key]: value === '' ? undefined : value };
      // As in Bareos, a rewrite replaces where= (the summary then shows RegexWhere, not Where).
      // Checked at once (a regexwhere that does not compile, an unknown client): a refusal asks again, the old values stay.
      return confirm(ctx, { ...s, options }, false);
    },
  };
}
