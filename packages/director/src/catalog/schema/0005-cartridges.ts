/**
 * Schema version 5: afbackup's cartridge handling (issue 13 section 3).
 * - Pool.AllowedClients: the Pool's `Allowed Clients` (a JSON array of Client names;
 *   '[]' = any client), so the media module checks a volume's move between pools
 *   against the catalog row it already reads, as it does every other pool limit.
 * - Media.Location: the named place the operator last gave the cartridge (`update
 *   volume=X location="vault"`, afbackup's free-text cart_ctl location); '' = none.
 *   Media.Drive: the changer drive (from 0) the Director last saw the cartridge mounted
 *   in, -1 = none (then it is in its Slot, or out of the changer). Media.ImportExport: 1
 *   when Slot is an import/export slot (the cartridge was exported there).
 * - MediaEvent: each cartridge's history with times (labelled, loaded, unloaded,
 *   moved, written, recycled, error, exported, imported, repositioned). It keeps the
 *   volume's name and no reference to Media: the history of a deleted or relabelled
 *   volume is still there to read, as Bareos keeps Log rows of pruned jobs' volumes.
 */
export const CARTRIDGES_SCHEMA = `
ALTER TABLE Pool ADD COLUMN AllowedClients TEXT NOT NULL DEFAULT '[]';
ALTER TABLE Media ADD COLUMN Location TEXT NOT NULL DEFAULT '';
ALTER TABLE Media ADD COLUMN Drive INTEGER NOT NULL DEFAULT -1;
ALTER TABLE Media ADD COLUMN ImportExport INTEGER NOT NULL DEFAULT 0;
CREATE TABLE MediaEvent (
  MediaEventId INTEGER PRIMARY KEY AUTOINCREMENT,
  MediaId INTEGER NOT NULL,
  VolumeName TEXT NOT NULL,
  Time INTEGER NOT NULL,
  Event TEXT NOT NULL CHECK (Event IN ('labelled','loaded','unloaded','moved','written','recycled',
    'error','exported','imported','repositioned')),
  Place TEXT NOT NULL DEFAULT '',
  JobId INTEGER,
  Text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX MediaEvent_Media ON MediaEvent (MediaId, MediaEventId);
`;
