/**
 * Bareos's `%` substitutions in mail and operator commands and run scripts:
 * %% a percent sign, %c client, %d Director, %e job exit status, %i JobId, %j unique
 * job name, %l level, %n job name, %r recipients, %s since time, %t job type,
 * %v volume names, %b job bytes, %F job files, %h client address, %p pool, %w storage,
 * %x spooling ("yes" when the job spools its data), %D Director's address.
 * An unknown code is left as it is, so a command never silently loses text.
 */
export type PercentVars = Partial<Record<'c' | 'd' | 'e' | 'i' | 'j' | 'l' | 'n' | 'r' | 's' | 't' | 'v' | 'b' | 'F' | 'h' | 'p' | 'w' | 'x' | 'D', string>>;

export function substitute(template: string, vars: PercentVars): string {
  return template.replace(/%(.)/g, (whole, code: string) => {
    if (code === '%') return '%';
    const value = vars[code as keyof PercentVars];
    return value === undefined ? whole : value;
  });
}
