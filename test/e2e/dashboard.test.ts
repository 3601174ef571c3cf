/**
 * The dashboard in headless Chromium against the real daemons (issue 16): log in, run
 * a job that waits for the operator, answer its request by labelling a volume on the
 * page, watch its progress bar move and the job end OK, read its log, cancel a waiting
 * job; the last day's jobs list failures first and narrow by the filters; the restore
 * wizard browses the backup lazily, marks a directory holding a name that is not UTF-8
 * and a file on a listing's second page, restores them, follows the job, and the files
 * are on disk, byte for byte. Screenshots of each step go to test/artifacts/dashboard/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Burrow } from '../harness/daemons.js';
import { assertBarMoved, dashboardDaemons, LATIN1_NAME, WATCH_PROGRESS_BARS, type DashboardDaemons } from '../harness/dashboard.js';
import { artifactsFor, startChromium } from '../harness/chromium.js';
import { compareTrees } from '../harness/tree.js';

describe('the dashboard', () => {
  let daemons: DashboardDaemons;
  let src: string;
  let burrow: Burrow;
  let browser: Browser;
  let page: Page;
  let shots: string;
  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  before(async () => {
    daemons = await dashboardDaemons({ dirs: 5 });
    ({ src, burrow } = daemons);
    shots = artifactsFor('dashboard');
    browser = await startChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(daemons.url);
  });
  after(async () => {
    await browser?.close();
    await daemons?.stop();
  });

  it('logs in, and refuses a wrong password', async () => {
    await page.fill('#login input[name=password]', 'wrong');
    await page.click('#login button');
    await page.waitForSelector('#login-error:has-text("wrong console name or password")');
    await shot('1-login-refused');
    await page.fill('#login input[name=password]', burrow.passwords.console);
    await page.click('#login button');
    await page.waitForSelector('#board:not([hidden])');
    assert.equal(await page.textContent('#who'), '*UserAgent*');
    assert.ok(await page.isHidden('#login'), 'the login form goes once logged in');
    await shot('2-board');
  });

  it('answers an operator request by labelling, and shows the job move and end', async () => {
    await page.evaluate(WATCH_PROGRESS_BARS);
    await page.fill('#run input[name=job]', 'wait-empty');
    await page.click('#run button');
    const request = page.locator('#requests li[data-jobid="1"]');
    await request.waitFor();
    assert.match(await request.textContent() ?? '', /Pool "Empty"/);
    await shot('3-operator-request');
    await request.locator('input').fill('Empty-0001');
    await request.locator('button').click();
    await page.waitForSelector('#recent tr[data-jobid="1"]');
    assert.equal(await page.textContent('#recent tr[data-jobid="1"] td:nth-child(7)'), 'T');
    assertBarMoved(await page.evaluate('window.seen') as number[]);
    await page.waitForSelector('#volumes tr[data-volume="Empty-0001"]');
    assert.equal(await page.textContent('#running tbody'), '');
    await page.click('#recent tr[data-jobid="1"]');
    await page.waitForSelector('#joblog:has-text("Termination:")');
    assert.match(await page.textContent('#joblog') ?? '', /Backup OK/);
    await shot('4-job-ended-with-log');
  });

  it('cancels a waiting job, which then leads the last day\'s list', async () => {
    await page.fill('#run input[name=job]', 'wait-cancel');
    await page.click('#run button');
    const row = page.locator('#running tr[data-jobid="2"]');
    await row.waitFor();
    await page.locator('#requests li[data-jobid="2"]').waitFor();
    // A page opened while the job waits is told of the request at once.
    await page.reload();
    await page.locator('#requests li[data-jobid="2"]').waitFor();
    await row.waitFor();
    await shot('5-waiting-job');
    await row.locator('button').click();
    // Its row is there, marked failed, already while it waits (status m): wait for the cancel's A.
    await page.waitForSelector('#recent tr[data-jobid="2"].failed td:nth-child(7):text-is("A")');
    assert.equal(await page.getAttribute('#recent tbody tr:first-child', 'data-jobid'), '2');
    assert.equal(await page.locator('#requests li[data-jobid="2"]').count(), 0);
    await shot('6-canceled');
  });

  it('restores through the wizard: browse lazily, mark, where, run, follow; the files are on disk exactly', async () => {
    const where = join(burrow.dir, 'wizard-restored');
    await page.selectOption('#restore-from select[name=client]', 'test-fd');
    // A date before any backup: nothing to restore, said so.
    await page.selectOption('#restore-from select[name=when]', 'before');
    await page.fill('#restore-from input[name=before]', '2001-01-01T00:00');
    await page.click('#restore-from button');
    await page.waitForSelector('#error:has-text("No backup of test-fd to restore from at that point in time")');
    await page.selectOption('#restore-from select[name=when]', 'latest');
    await page.click('#restore-from button');
    await page.waitForSelector('#restore-jobs:has-text("JobId(s) 1")');
    // Entries by the name the page shows (data-name: native selectors stay quick over hundreds of entries).
    const dir = (name: string) => page.locator(`#restore-tree li.dir[data-name="${name}"]`);
    // Down to the backup's top folder, one directory at a time.
    for (const part of src.split('/').filter((p) => p !== '')) {
      await dir(part).locator('> button.open').click();
      await dir(part).locator('> ul > li').first().waitFor();
    }
    await dir('names').locator('> button.open').click();
    await dir('inner').locator('> button.open').click();
    // The Latin-1 name, as the Director escapes it, already marked by its directory once that is.
    const latin1 = page.locator('#restore-tree li.file[data-name="caf\\\\xe9.txt"]');
    await latin1.waitFor();
    await dir('names').locator('> input').check();
    assert.ok(await latin1.locator('> input').isChecked());
    assert.ok(await latin1.locator('> input').isDisabled());
    // d2 holds 600 files: the second page comes with "more".
    await dir('d2').locator('> button.open').click();
    await dir('d2').locator('> ul > li > button.more').click();
    const f95 = page.locator('#restore-tree li.file[data-name="f95.txt"] > input');
    await f95.waitFor({ timeout: 60_000 });
    await f95.check();
    await page.locator('#restore-tree li.file[data-name="f1.txt"] > input').check();
    assert.equal(await page.textContent('#restore-count'), '1 directories and 2 files marked.');
    await page.fill('#restore-run input[name=where]', where);
    await shot('7-restore-marked');
    await page.click('#restore-run button');
    await page.waitForSelector('#restore-follow[data-status="T"]', { timeout: 60_000 });
    await shot('8-restore-done');

    assert.deepEqual(compareTrees(join(src, 'names'), join(where, src, 'names')), []);
    assert.deepEqual(readdirSync(join(where, src, 'names', 'inner'), { encoding: 'buffer' }), [LATIN1_NAME]);
    assert.deepEqual(readdirSync(join(where, src)).sort(), ['d2', 'names']);
    // f1.txt from d2's first page, f95.txt from its second (names sort as bytes: f0, f1, f10, f100 ... f9, f90 ... f99).
    assert.deepEqual(readdirSync(join(where, src, 'd2')).sort(), ['f1.txt', 'f95.txt']);
    assert.equal(readFileSync(join(where, src, 'd2', 'f1.txt'), 'utf8'), 'file 2/1\n'.repeat(20));
    assert.equal(readFileSync(join(where, src, 'd2', 'f95.txt'), 'utf8'), 'file 2/95\n'.repeat(20));
  });

  it('narrows the jobs list by type, status and client', async () => {
    await page.selectOption('#job-filter select[name=jobtype]', 'R');
    await page.waitForSelector('#recent tbody tr:only-child[data-jobid="3"]');
    await page.selectOption('#job-filter select[name=jobtype]', '');
    await page.selectOption('#job-filter select[name=jobstatus]', 'E,f,A,I');
    await page.waitForSelector('#recent tbody tr:only-child[data-jobid="2"]');
    await page.selectOption('#job-filter select[name=jobstatus]', 'T,W');
    await page.waitForSelector('#recent tbody tr[data-jobid="3"]');
    assert.deepEqual(await page.locator('#recent tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-jobid'))), ['3', '1']);
    await shot('9-jobs-filtered');
  });
});
