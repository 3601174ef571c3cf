/**
 * Directive names Bareos has that appear in many resources and that Burrow ignores
 * with a warning (Burrow's daemons always use TLS-PSK from the password, see DESIGN.md).
 * Taken from Bareos's resource tables (TLS_COMMON_CONFIG, TLS_CERT_CONFIG, TLS_PSK_CONFIG).
 */
/** BAREOS_TLS without the directives a resource does read (the data channel's TLS switch). */
export function bareosTlsExcept(...read: string[]): string[] {
  return BAREOS_TLS.filter((d) => !read.includes(d));
}

export const BAREOS_TLS = [
  'TLS Enable', 'TLS Require', 'TLS Authenticate', 'TLS Verify Peer', 'TLS Allowed CN',
  'TLS CA Certificate File', 'TLS CA Certificate Dir', 'TLS Certificate Revocation List',
  'TLS Certificate', 'TLS Key', 'TLS Cipher List', 'TLS Cipher Suites', 'TLS DH File',
  'TLS Protocol', 'TLS PSK Enable', 'TLS PSK Require', 'Enable kTLS',
] as const;

/** Daemon-level directives shared by the Director, Storage and File daemon resources. */
export const BAREOS_DAEMON_COMMON = [
  'Plugin Directory', 'Plugin Names', 'Scripts Directory', 'Heartbeat Interval', 'Maximum Connections',
  'Sub Sys Directory', 'Ver Id', 'Log Timestamp Format', 'Secure Erase Command', 'Absolute Job Timeout',
  'Maximum Bandwidth Per Job', 'Compatible', 'Backend Directory', 'Sd Connect Timeout', 'Fd Connect Timeout',
  'Statistics Collect Interval',
] as const;

/** BAREOS_DAEMON_COMMON less the directives a daemon implements. */
export function bareosDaemonCommonExcept(...implemented: string[]): string[] {
  return BAREOS_DAEMON_COMMON.filter((d) => !implemented.includes(d));
}

/**
 * What `-t` says of Bareos directives whose feature comes with a later part of Burrow,
 * so an administrator knows it is coming rather than missing.
 */
export const NOT_AVAILABLE_YET = {
  /** Tape and changer directives Burrow's tape drives do not apply yet (autochangers come later). */
  tape: 'is for tape drives and autochangers and is not applied yet by Burrow; it has no effect on a File device',
} as const;

/** Device directives that only mean something for a tape drive or a changer. */
export const BAREOS_TAPE_DEVICE = [
  'Diagnostic Device', 'Hardware End Of File', 'Hardware End Of Medium', 'Backward Space Record', 'Backward Space File',
  'Bsf At Eom', 'Two Eof', 'Forward Space Record', 'Forward Space File', 'Fast Forward Space File', 'Close On Poll',
  'Block Positioning', 'Use MTIOCGET', 'Check Labels', 'Offline On Unmount', 'Changer Device',
  'Changer Command', 'Alert Command', 'Maximum Changer Wait', 'Maximum Rewind Wait', 'Volume Poll Interval', 'Label Type',
  'No Rewind On Close', 'Drive Tape Alert Enabled', 'Drive Crypto Enabled', 'Query Crypto Status', 'Eof On Error Is Eot',
  'Drive Index', 'Auto Changer', 'Autochanger', 'Maximum File Size', 'Requires Mount', 'Mount Point', 'Mount Command',
  'Unmount Command',
] as const;
