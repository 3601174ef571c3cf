/**
 * Collects every configuration problem so they are reported together (as fastify
 * does), then raises one CONFIG_INVALID error listing them all.
 */
import { BurrowError } from '../../errors/index.js';

/** A directive Burrow accepted but ignores or does not fully implement yet. */
export interface ConfigWarning {
  readonly file: string;
  readonly line: number;
  /** `Job "backup-client1"`, or the resource type when it has no name. */
  readonly resource: string;
  readonly directive: string;
  readonly message: string;
}

export type ConfigProblem = ConfigWarning;

export function formatProblem(p: ConfigProblem): string {
  const directive = p.directive ? `${p.directive}: ` : '';
  return `${p.file}:${p.line}: ${p.resource}: ${directive}${p.message}`;
}

export class Problems {
  readonly errors: ConfigProblem[] = [];
  readonly warnings: ConfigWarning[] = [];

  error(p: ConfigProblem): void { this.errors.push(p); }

  warn(p: ConfigWarning): void { this.warnings.push(p); }

  /**
   * Throws one CONFIG_INVALID error naming every problem, if there are any. The
   * warnings come after the errors in the same message, so an administrator fixing
   * the errors sees everything `-t` would have said.
   */
  throwIfAny(): void {
    if (this.errors.length === 0) return;
    const errors = inFileOrder(this.errors).map(formatProblem);
    const warnings = inFileOrder(this.warnings).map(formatProblem);
    const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
    const also = warnings.length === 0 ? '' : `\nand ${warnings.length === 1 ? '1 warning' : `${warnings.length} warnings`}:\n${warnings.join('\n')}`;
    throw new BurrowError('CONFIG_INVALID', `configuration has ${count}:\n${errors.join('\n')}${also}`);
  }
}

/** In file order, so a list reads like the configuration. */
function inFileOrder(list: readonly ConfigProblem[]): ConfigProblem[] {
  return [...list].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

/** Freezes a parsed configuration all the way down, so no part can change it for another. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as object)) deepFreeze(inner);
  }
  return value;
}

/** The readonly view of a frozen configuration. */
export type Frozen<T> = T extends (infer U)[]
  ? readonly Frozen<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Frozen<T[K]> }
    : T;
