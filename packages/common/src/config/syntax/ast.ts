/**
 * The parsed, not yet validated, configuration text. Every node remembers the file
 * and line it came from so later stages can name them in errors.
 */

export interface Position {
  readonly file: string;
  readonly line: number;
}

export interface Value {
  /** Unquoted words as written (inner spaces kept); quoted strings with escapes resolved. */
  readonly text: string;
  readonly quoted: boolean;
}

/** `Name = a, b` has parts [[a, b]]; a Messages line `Append = "f" = all, !skipped` has two parts. */
export interface DirectiveNode extends Position {
  readonly kind: 'directive';
  /** As written, e.g. `Maximum Volume Bytes`. */
  readonly name: string;
  /** normalizeName(name), e.g. `maximumvolumebytes`. */
  readonly key: string;
  readonly parts: readonly (readonly Value[])[];
  /** The source text after the first `=`, quotes included: for directives kept verbatim (Schedule Run). */
  readonly raw: string;
}

/** A resource (`Job { ... }`) or a nested block (`Include { ... }`). */
export interface BlockNode extends Position {
  readonly kind: 'block';
  readonly name: string;
  readonly key: string;
  readonly body: readonly ItemNode[];
}

export type ItemNode = DirectiveNode | BlockNode;
