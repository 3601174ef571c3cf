/**
 * Data spooling (Bareos's Spool Data, Spool Attributes, Spool Size; the Device's Spool
 * Directory, Maximum Spool Size, Maximum Job Spool Size): a spooling backup's records
 * wait in a spool file on disk and reach the volume in one stream per despool, one job
 * at a time per drive; its catalog entries wait in an attribute spool until its data is
 * all on the volume.
 *
 * Terms: *spool* (the job's file of records not yet on the volume), *despool* (writing
 * it to the volume), *part* (what one despool writes), *attribute spool* (the catalog
 * entries held back).
 */
export { AttributeSpool } from './attribute-spool.js';
export { DataSpool, SpoolDiskFull } from './data-spool.js';
export { JobSpool, type JobSpoolOptions, type SpoolState } from './job-spool.js';
export { DriveSpools, SpoolDesk, spoolDesk, SpoolTotals, type SpoolSettings } from './spool-desk.js';
