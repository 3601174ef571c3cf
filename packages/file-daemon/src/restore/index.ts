/**
 * Restore: writes the records of a restore back as files (RestoreWriter), under a
 * restore location or in the original places, by Bareos's replace rules, refusing
 * hostile paths and never writing through a symlink in the way.
 */
export { RestoreWriter, type RestoreOptions, type RestoreTotals } from './writer.js';
export { REPLACE_MODES, type ReplaceMode } from './replace.js';
