/**
 * Reservations: which job uses which drive, as Bareos's reserve.cc decides it. The
 * Director sends a job's Storage, Media Type, pool and candidate devices; the SD
 * reserves a drive (reservations.ts, choosing as choose.ts says) and the session holds
 * the reservation (reservation.ts), never the drive. The operator's mount, unmount,
 * release and label reach drives through operator.ts; status.ts says what each drive
 * does.
 *
 * Terms: a *drive* holds at most one mounted volume (devices/drive.ts); a *group* is the
 * drives one name stands for (a Count device, an Autochanger: drive-table.ts); a drive
 * is *held* by the jobs that reserved it, for append (writers of one pool, sharing its
 * volume) or for read (one reader); the operator *unmounts* a drive to take it out of
 * use until `mount`.
 */
export { chooseDrive, type Choice, type ReserveRequest } from './choose.js';
export { countedName, DriveTable, type DeviceSpec, type GroupSpec } from './drive-table.js';
export { DriveOperator, type DriveAddress, type DriveReply } from './operator.js';
export { AppendReservation, ReadReservation } from './reservation.js';
export { ReservableDrive, type DriveConfig, type OperatorWait, type ReserveMode, type WakeCause } from './reservable-drive.js';
export { Reservations, type ReserveOptions, type ReserveWait } from './reservations.js';
export { drivesStatus, type DriveState, type DriveStatus, type DrivesStatus } from './status.js';
