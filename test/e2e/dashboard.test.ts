/**
 * The dashboard in headless Chromium against the real daemons (issue 16): log in, run
 * a job that waits for the operator, answer its request by labelling a volume on the
 * page, watch its progress bar move and the job end OK, read its log, cancel a waiting
 * job; the last day's jobs list failures first. Screenshots of each step go to
 * test/artifacts/dashboard/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Burrow } from '../harness/daemons.js';
import { freePort } from '../harness/ports.js';
import { artifactsFor, startChromium } from '../harness/chromium.js';

describe('the dashboard', () => {
  let src: string;
  let burrow: Burrow;
  let browser: Browser;
  let page: Page;
  let shots: string;
  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-dash-'));
    // Enough small files for several catalog batches, so progress comes more than once.
    for (let d = 0; d < 5; d++) {
      mkdirSync(join(src, `d${d}`));
      for (let f = 0; f < 600; f++) writeFileSync(join(src, `d${d}`, `f${f}.txt`), `file ${d}/${f}\n`.repeat(20));
    }
    const port = await freePort();
    const job = (name: string, pool: string): string => `Job { Name = ${name}; Type = Backup; Level = Full; Client = test-fd; FileSet = TestSet; Storage = File; Pool = ${pool}; Messages = Standard }\n`;
    burrow = await Burrow.start({
      include: [src], labelFormat: null,
      directorDirectives: [`Http Port = ${port}`],
      directorResources: `Pool { Name = Empty; Pool Type = Backup }\nPool { Name = Never; Pool Type = Backup }\n${job('wait-empty', 'Empty')}${job('wait-cancel', 'Never')}`,
    });
    shots = artifactsFor('dashboard');
    browser = await startChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/`);
  });
  after(async () => {
    await browser?.close();
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
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
    // Every value the progress bar shows, as the page draws it.
    // (Page code as text: the tests compile without the DOM's types.)
    await page.evaluate(`
      window.seen = [];
      new MutationObserver(() => {
        for (const bar of document.querySelectorAll('#running .bar')) window.seen.push(Number(bar.dataset.bytes));
      }).observe(document.querySelector('#running tbody'), { childList: true, subtree: true });`);
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
    const seen = await page.evaluate('window.seen') as number[];
    const distinct = [...new Set(seen.filter((n) => n > 0))];
    assert.ok(distinct.length >= 2, `the bar moved: ${JSON.stringify(seen)}`);
    assert.deepEqual(distinct, [...distinct].sort((a, b) => a - b));
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
});
