/**
 * The dashboard in Firefox (Debian's firefox-esr, installed by the test when missing,
 * driven over WebDriver BiDi by puppeteer-core) against the real daemons (issue 16):
 * a refused and a good login, a job waiting for a volume answered on the page, its
 * progress bar moving to its end and its log, a waiting job canceled, the drives of
 * a Storage, and a restore through the wizard whose files, one with a name that is not
 * UTF-8, are on disk byte for byte. Screenshots in test/artifacts/dashboard-firefox/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { Burrow } from '../harness/daemons.js';
import { assertBarMoved, dashboardDaemons, LATIN1_NAME, WATCH_PROGRESS_BARS, type DashboardDaemons } from '../harness/dashboard.js';
import { artifactsFor } from '../harness/chromium.js';
import { startFirefox } from '../harness/firefox.js';
import { compareTrees } from '../harness/tree.js';

describe('the dashboard in Firefox', () => {
  let daemons: DashboardDaemons;
  let src: string;
  let burrow: Burrow;
  let browser: Browser;
  let page: Page;
  let shots: string;
  const shot = async (name: string): Promise<void> => { await page.screenshot({ path: join(shots, `${name}.png`) as `${string}.png`, fullPage: true }); };
  // Page code as text: the tests compile without the DOM's types.
  const until = (expression: string): Promise<unknown> => page.waitForFunction(expression, { timeout: 60_000 });
  const text = (selector: string): Promise<string> => page.$eval(selector, (e) => e.textContent ?? '');
  /** The restore tree's directory `name` (its own span, not a parent's), as page code. */
  const dirItem = (name: string): string => `document.querySelector('#restore-tree li.dir[data-name=${JSON.stringify(name)}]')`;

  before(async () => {
    daemons = await dashboardDaemons({ dirs: 3 });
    ({ src, burrow } = daemons);
    shots = artifactsFor('dashboard-firefox');
    browser = await startFirefox();
    page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(daemons.url);
  });
  after(async () => {
    await browser?.close();
    await daemons?.stop();
  });

  it('logs in, and refuses a wrong password', async () => {
    assert.match(await browser.version(), /^firefox\//);
    await page.waitForSelector('#login:not([hidden])');
    await page.type('#login input[name=password]', 'wrong');
    await page.click('#login button');
    await until("document.querySelector('#login-error').textContent.includes('wrong console name or password')");
    await shot('1-login-refused');
    await page.evaluate("document.querySelector('#login input[name=password]').value = ''");
    await page.type('#login input[name=password]', burrow.passwords.console);
    await page.click('#login button');
    await page.waitForSelector('#board:not([hidden])');
    assert.equal(await text('#who'), '*UserAgent*');
  });

  it('answers an operator request by labelling, and shows the job move and end', async () => {
    await page.evaluate(WATCH_PROGRESS_BARS);
    await page.type('#run input[name=job]', 'wait-empty');
    await page.click('#run button');
    await page.waitForSelector('#requests li[data-jobid="1"]');
    assert.match(await text('#requests li[data-jobid="1"]'), /Pool "Empty"/);
    await shot('2-operator-request');
    await page.type('#requests li[data-jobid="1"] input', 'Empty-0001');
    await page.click('#requests li[data-jobid="1"] button');
    await until(`document.querySelector('#recent tr[data-jobid="1"] td:nth-child(7)')?.textContent === 'T'`);
    assertBarMoved(await page.evaluate('window.seen') as number[]);
    await page.click('#recent tr[data-jobid="1"]');
    await until("document.querySelector('#joblog').textContent.includes('Termination:')");
    assert.match(await text('#joblog'), /Backup OK/);
    await shot('3-job-ended-with-log');
  });

  it('cancels a waiting job, and shows the Storage\'s drive', async () => {
    await page.evaluate("document.querySelector('#run input[name=job]').value = ''");
    await page.type('#run input[name=job]', 'wait-cancel');
    await page.click('#run button');
    await page.waitForSelector('#requests li[data-jobid="2"]');
    await page.click('#running tr[data-jobid="2"] button');
    await until(`document.querySelector('#recent tr[data-jobid="2"].failed td:nth-child(7)')?.textContent === 'A'`);
    // The SD lets the drive go just after the Director ends the job; the page draws it again.
    await until(`document.querySelector('#storage-list .storage[data-storage="File"] tr.drive[data-drive="0"] td.state')?.textContent === 'idle'`);
    await shot('4-canceled-and-drives');
  });

  it('restores a directory through the wizard, its Latin-1 name exactly', async () => {
    const where = join(burrow.dir, 'firefox-restored');
    await page.select('#restore-from select[name=client]', 'test-fd');
    await page.click('#restore-from button');
    await until("document.querySelector('#restore-jobs').textContent.includes('JobId(s) 1')");
    for (const part of [...src.split('/').filter((p) => p !== ''), 'names', 'inner']) {
      await until(`${dirItem(part)} !== null`);
      await page.evaluate(`${dirItem(part)}.querySelector(':scope > button.open').click()`);
      await until(`${dirItem(part)}.querySelector(':scope > ul > li') !== null`);
    }
    assert.ok(await page.evaluate(`[...document.querySelectorAll('#restore-tree li.file > span.name')].some((s) => s.textContent === 'caf\\\\xe9.txt')`),
      'the Latin-1 name shown as the Director escapes it');
    await page.evaluate(`${dirItem('names')}.querySelector(':scope > input').click()`);
    assert.equal(await text('#restore-count'), '1 directories and 0 files marked.');
    await page.type('#restore-run input[name=where]', where);
    await page.click('#restore-run button');
    await page.waitForSelector('#restore-follow[data-status="T"]', { timeout: 60_000 });
    await shot('5-restore-done');
    assert.deepEqual(compareTrees(join(src, 'names'), join(where, src, 'names')), []);
    assert.deepEqual(readdirSync(join(where, src, 'names', 'inner'), { encoding: 'buffer' }), [LATIN1_NAME]);
    assert.deepEqual(readdirSync(join(where, src)), ['names']);
  });
});
