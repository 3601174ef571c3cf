/**
 * Long catalog work off the Director's event loop (issue 16): while one console builds
 * the restore tree of a large job (`.bvfs_update` of a synthetic backup of FILES files,
 * made through the catalog API), another asks `status dir` over the HTTP API every few
 * milliseconds. Each answer's wait is timed: the Director must keep answering while
 * the tree builds, not once it is done.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogFiles, openSqliteCatalog } from '@burrow/director/catalog/index';
import { syntheticBackup } from '@burrow/director/catalog/synthetic';
import { Burrow } from '../harness/daemons.js';
import { freePort } from '../harness/ports.js';
import { ApiClient } from '../harness/http-api.js';

/** Large enough that the tree takes most of a second to build on this machine, small enough to fill in seconds. */
const FILES = 300_000;
/** Time between two pings. */
const PING_EVERY_MS = 20;
const ADMIN = '*UserAgent*';

interface Ping { sentAt: number; waitedMs: number }

describe('catalog work off the event loop', () => {
  let src: string;
  let burrow: Burrow;
  let api: ApiClient;
  let jobId: number;

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-off-loop-'));
    writeFileSync(join(src, 'a.txt'), 'alpha\n');
    const port = await freePort();
    burrow = await Burrow.start({ include: [src], directorDirectives: [`Http Port = ${port}`] });
    api = new ApiClient({ port, https: false });
    const catalog = openSqliteCatalog(catalogFiles(burrow.directorWorkDir, 'bacula').database);
    try {
      ({ jobId } = await syntheticBackup(catalog, { files: FILES, client: 'test-fd', fileSet: 'TestSet', pool: 'Full', volume: 'Synthetic-0001', finish: true }));
    } finally {
      catalog.close();
    }
  });
  after(async () => {
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
  });

  it('answers another console while a restore tree of a large job builds', async (t) => {
    const builder = await api.login(ADMIN, burrow.passwords.console);
    const pinger = await api.login(ADMIN, burrow.passwords.console);
    const status = async (): Promise<number> => {
      const at = performance.now();
      const r = await api.command(pinger, 'status', { what: 'dir' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return performance.now() - at;
    };
    const idle = await status();

    const started = performance.now();
    let builtAt = 0;
    const build = api.command(builder, '.bvfs_update', { jobid: String(jobId) }).then((r) => {
      builtAt = performance.now();
      return r;
    });
    const pings: Ping[] = [];
    while (builtAt === 0) {
      const sentAt = performance.now();
      pings.push({ sentAt, waitedMs: await status() });
      await new Promise((resolve) => setTimeout(resolve, PING_EVERY_MS));
    }
    const built = await build;
    assert.equal(built.status, 200, JSON.stringify(built.body));
    // Every file and its directories: 50 files a directory, 20 of those in the next, 20 of those in the next, below /bench.
    assert.equal(built.body.result.entries, FILES + FILES / 50 + FILES / 1000 + FILES / 20_000 + 1, JSON.stringify(built.body));
    const buildMs = builtAt - started;
    const during = pings.filter((p) => p.sentAt < builtAt);
    const answeredDuring = during.filter((p) => p.sentAt + p.waitedMs < builtAt).length;
    const longest = Math.max(...during.map((p) => p.waitedMs));
    t.diagnostic(`tree of ${FILES} files built in ${buildMs.toFixed(0)} ms; status dir idle ${idle.toFixed(0)} ms; `
      + `${during.length} asked during the build, ${answeredDuring} answered before it ended, the longest wait ${longest.toFixed(0)} ms`);
    // With the catalog read on the Director's main thread, none was answered before the
    // tree was built, and the first waited for all of it (web16's note has the figures).
    assert.ok(answeredDuring >= 3, `only ${answeredDuring} status answers while the tree built in ${buildMs.toFixed(0)} ms`);
    assert.ok(longest < 1000, `a status waited ${longest.toFixed(0)} ms while the tree built`);
  });
});
