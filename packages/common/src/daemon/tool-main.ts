/**
 * The frame of an offline tool's main (bextract, bscan): the arguments become a
 * request or a usage problem (exit 2, with the usage), `-h` prints the usage (exit 0),
 * and any failure of the run is one line naming the tool (exit 1).
 */
import { describeError } from '../errors/index.js';

/** What `parse` returns for -h: print the usage and stop. */
export const HELP = Symbol('help');

export interface ToolMain<R> {
  name: string;
  usage: string;
  argv: string[];
  /** The request, HELP, or what is wrong with the arguments. */
  parse: (argv: string[]) => R | typeof HELP | string;
  run: (request: R) => Promise<number>;
}

export async function toolMain<R>(t: ToolMain<R>): Promise<number> {
  let r: R | typeof HELP | string;
  try {
    r = t.parse(t.argv);
  } catch (err) {
    r = describeError(err);
  }
  if (r === HELP) {
    process.stdout.write(t.usage);
    return 0;
  }
  if (typeof r === 'string') {
    process.stderr.write(`${t.name}: ${r}\n${t.usage}`);
    return 2;
  }
  try {
    return await t.run(r);
  } catch (err) {
    process.stderr.write(`${t.name}: ${describeError(err)}\n`);
    return 1;
  }
}
