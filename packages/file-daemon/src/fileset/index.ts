/**
 * FileSet: which files a backup saves and how (digest, compression, file-system
 * boundaries). `compileFileSet` turns the Director's FileSetSpec into one selector
 * per Include block; the backup walker asks `select(path, isDirectory)` for every
 * entry. Paths are raw bytes (Buffer) throughout.
 */
export { compileFileSet, type CompiledFileSet, type IncludeSelector } from './matcher.js';
export { DEFAULT_FILE_OPTIONS, type DigestName, type FileOptions } from './options.js';
export { isSameOrBelow, stripTrailingSlashes, toMatchString } from './bytes.js';
