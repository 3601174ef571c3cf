/**
 * Schema version 6: VolFiles takes Bareos's meaning (docs/cartridges.md): on tape the
 * filemarks before the end of the data, which the Storage daemon now compares with the
 * tape at every append; on disk the file part of the end address. Before, a backup
 * added the number of files it saved, which on tape is usually more than the tape's
 * files and would send the volume to Error at its next append. Each volume's count is
 * set again from what the catalog knows: a volume with tape addresses in its JobMedia
 * (file part above 0) gets its last job's tape file + 1; any other its VolBytes / 2^32
 * (a disk volume's count; a tape that holds only its label gets 0, and the Storage
 * daemon corrects it to 1, with a warning, at its first append).
 */
export const TAPE_FILES_SCHEMA = `
UPDATE Media SET VolFiles = COALESCE(
  (SELECT MAX(JM.EndAddr / 4294967296) + 1 FROM JobMedia JM WHERE JM.MediaId = Media.MediaId AND JM.EndAddr >= 4294967296),
  VolBytes / 4294967296);
`;
