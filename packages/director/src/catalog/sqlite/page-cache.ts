/**
 * The page cache of each catalog connection (the Director's own, the reader thread's,
 * the query command's). better-sqlite3 is built with SQLite's default cache raised to
 * 16 MiB per connection, and a busy catalog fills it: the Director's resident memory
 * carried 16 MiB of cache for its own connection alone, more than a tenth of issue
 * 12's 150 MiB. At 4 MiB, three backups of 50,000 and of 300,000 files went into a
 * fresh catalog at the same rows per second within the machine's noise, the process
 * 12-15 MiB smaller (bench/README.md step 9). What is not cached is in the kernel's
 * page cache: a page read again costs a read(), not a disk access.
 */
export const PAGE_CACHE_PRAGMA = 'cache_size = -4096';

/**
 * The reader thread's own connection (reader-worker.ts): what it reads is mostly long
 * runs of one job's File rows (restore tree pages, accurate states, listings), each
 * page read once, so a cache cannot help and its 4 MiB only filled up. At 1 MiB, the
 * restore tree of 54,000 files left the Director 2-5 MiB smaller (a second one 4-6),
 * and trees, restore choices and accurate states over 3 x 300,000 files, and a tree
 * of 1,000,000, took as long within the noise (bench/README 11-Dir-c).
 */
export const READER_PAGE_CACHE_PRAGMA = 'cache_size = -1024';
