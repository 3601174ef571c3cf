/**
 * Verify on the client. Disk levels (InitCatalog, Catalog, DiskToCatalog) walk the
 * FileSet as a backup would, reading a file's data only to compute the digest its
 * Options' verify= letters ask for; volume levels (VolumeToCatalog, Data) take the
 * verified job's records from a Storage daemon session, as a restore does, and hash
 * them instead of writing. Both report each entry met to the Director, which compares
 * (as Bareos's Director does): the client never sees the catalog.
 */
export { runDiskVerify, verifySpec } from './disk.js';
export { runVolumeVerify } from './volume.js';
export { VolumeDigester } from './digester.js';
