/**
 * Burrow's configuration: Bareos's resource syntax and resource names, so
 * administrators' configs carry over.
 *
 * Terms: a *resource* is a top-level block (`Job { ... }`), a *directive* a
 * `Name = value` line inside it. Names match ignoring case and spaces.
 *
 * Shape of every loaded configuration:
 * - Each resource is a plain object whose properties are the camelCase of Bareos's
 *   directive names (`Maximum Volume Bytes` -> `maximumVolumeBytes`), with defaults
 *   filled in, sizes in bytes, durations in seconds, booleans as booleans, and
 *   `source: { file, line }` naming where it was defined.
 * - Resources of one type are an array in file order (`config.jobs`,
 *   `config.pools`...); the daemon's own resource is a single object
 *   (`config.director`, `config.storage`, `config.fileDaemon`). Look resources up
 *   with `findResource(list, name)` (case-insensitive, as names in directives are).
 * - The result is deeply frozen. Warnings (directives Bareos has that Burrow ignores
 *   or does not implement yet) come back beside it; problems throw one BurrowError
 *   'CONFIG_INVALID' listing every `file:line: Resource "name": directive: problem`,
 *   'CONFIG_SYNTAX' for text that does not parse, 'CONFIG_INCLUDE' for unreadable files.
 *
 * A config path may be a file, or a directory holding `<daemon>.conf` or
 * `<daemon>.d/<resourcetype>/*.conf` (daemons: burrow-dir, burrow-sd, burrow-fd, bconsole).
 */
export { loadDirectorConfig } from './director/load.js';
export type {
  DirectorConfig, DirectorResource, ClientResource, StorageResource, CatalogResource, PoolResource,
  ScheduleResource, FileSetResource, JobResource, JobDefsResource, MessagesResource, ConsoleResource,
  ProfileResource,
} from './director/load.js';
export type { FileSetInclude, FileSetOptions, FileSetPattern, PatternKind } from './director/fileset.js';
export { JOB_TYPES, JOB_LEVELS, REPLACE_MODES, type RunScriptBlock } from './director/job.js';
export { loadStorageConfig, type StorageDaemonConfig, type SdStorageResource, type DeviceResource, type AutochangerResource, type PeerDirectorResource } from './daemons/storage.js';
export { loadFileDaemonConfig, type FileDaemonConfig, type FileDaemonResource } from './daemons/filedaemon.js';
export { loadConsoleConfig, type ConsoleConfig, type ConsoleDirectorResource, type NamedConsoleResource } from './daemons/console.js';
export type { MessageDestination } from './schema/messages.js';
export { MESSAGE_TYPES } from './schema/messages.js';
export { poolAllowsClient, poolRefusal, type ClientLimitedPool } from './director/allowed-clients.js';
export { findResource, type Sourced } from './schema/daemon.js';
export { formatProblem, type ConfigWarning, type Frozen } from './schema/problems.js';
export type { Position } from './syntax/ast.js';
export { parseSize, parseDuration, trySize, tryDuration, tryBoolean } from './units.js';
export { normalizeName, camelCase } from './names.js';
