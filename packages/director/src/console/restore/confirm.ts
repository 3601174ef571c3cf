/**
 * The end of a restore conversation, as Bareos has it: the summary, then
 * `OK to run? (yes/mod/no):`; `mod` offers the options to change (where, regexwhere,
 * strip_prefix, add_prefix, add_suffix, replace, restore client), asks for the value
 * and shows the summary again.
 */
import { BurrowError } from '@burrow/common/errors/index';
import { ask, ok, type Dialog, type CommandResult, type ConsoleContext } from '../command.js';
import { summarize, type RestoreOptions, type RestoreSelection } from './selection.js';

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
export function confirm(ctx: ConsoleContext, s: RestoreSelection, yes: boolean, before = ''): CommandResult {
  const summary = summarize(ctx, s);
  const head = `${before}${before ? '\n' : ''}${summary.text}`;
  if (yes) {
    const queued = summary.submit();
    return { ...queued, text: `${head}\n${queued.text}` };
  }
  return ask(head, okToRun(s), { ...summary.data, started: false });
}

function okToRun(s: RestoreSelection): Dialog {
  return {
    prompt: 'OK to run? (yes/mod/no): ',
    answer: (ctx, line) => {
      const word = line.trim().toLowerCase();
      if (word === 'yes' || word === 'y') return confirm(ctx, s, true);
      if (word === 'no' || word === 'n') return ok('Restore canceled.', { started: false });
      if (word === 'mod' || word === 'm') return ask(modMenu(), chooseOption(s));
      throw new BurrowError('BAD_REQUEST', 'answer yes, mod or no');
    },
  };
}

function modMenu(): string {
  return ['Parameters to modify:', ...MODIFIABLE.map((m, i) => `${String(i + 1).padStart(5)}: ${m.title}`)].join('\n');
}

function chooseOption(s: RestoreSelection): Dialog {
  return {
    prompt: `Select parameter to modify (1-${MODIFIABLE.length}): `,
    answer: (_ctx, line) => {
      const n = Number(line.trim());
      const option = MODIFIABLE[n - 1];
      if (!Number.isInteger(n) || option === undefined) throw new BurrowError('BAD_REQUEST', `give a number from 1 to ${MODIFIABLE.length}`);
      return ask('', newValue(s, option.key, option.title));
    },
  };
}

function newValue(s: RestoreSelection, key: keyof RestoreOptions, title: string): Dialog {
  return {
    prompt: `${title}: `,
    answer: (ctx, line) => {
      const value = line.trim();
      const options: RestoreOptions = { ...s.options, [key]: value === '' ? undefined : value };
      // As in Bareos, a rewrite replaces where= (the summary then shows RegexWhere, not Where).
      const next = { ...s, options };
      // Checked now (a regexwhere that does not compile, an unknown client): the old values stay.
      summarize(ctx, next);
      return confirm(ctx, next, false);
    },
  };
}
