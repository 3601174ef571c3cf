/**
 * Directive names Bareos has that appear in many resources and that Burrow ignores
 * with a warning (Burrow's daemons always use TLS-PSK from the password, see DESIGN.md).
 * Taken from Bareos's resource tables (TLS_COMMON_CONFIG, TLS_CERT_CONFIG, TLS_PSK_CONFIG).
 */
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
