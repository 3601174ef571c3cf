/**
 * Drives and changer slots on the dashboard, in headless Chromium against the real
 * daemons and a burrow-vchanger library of two drives and four slots (issue 16): each
 * drive's state and loaded volume and the changer's slots as the Storage daemon and the
 * catalog say them; Unmount, Mount with a slot, Release from the page, each with the
 * SD's numbered reply; a backup's drive shown writing while the job is held at a FIFO,
 * idle again after. Screenshots in test/artifacts/dashboard-changer/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Burrow } from '../harness/daemons.js';
import { freePort } from '../harness/ports.js';
import { artifactsFor, startChromium } from '../harness/chromium.js';
import { changerLibrary, libraryStorage, type ChangerLibrary } from '../harness/changer.js';
import { feedFifo } from '../harness/holds.js';

describe('drives and changer slots on the dashboard', () => {
  let src: string;
  let lib: ChangerLibrary;
  let burrow: Burrow;
  let browser: Browser;
  let page: Page;
  let shots: string;
  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const drive = (n: number) => page.locator(`#storage-list .storage[data-storage="Library"] tr.drive[data-drive="${n}"]`);
  const slot = (n: number) => page.locator(`#storage-list .storage[data-storage="Library"] table.slots tr[data-slot="${n}"]`);
  const reply = () => page.locator('#storage-list .storage[data-storage="Library"] pre.reply');

  before(async () => {
    src = mkdtempSync(join(tmpdir(), 'burrow-dash-changer-'));
    mkdirSync(join(src, 'files'));
    for (let i = 0; i < 20; i++) writeFileSync(join(src, 'files', `f${i}.txt`), `file ${i}\n`.repeat(2000));
    execFileSync('mkfifo', [join(src, 'fifo')]);
    lib = await changerLibrary({ slots: 4, drives: 2, importExport: 1, barcodes: 'A00001-A00002' });
    const port = await freePort();
    burrow = await Burrow.start({
      include: [join(src, 'files')],
      sdResources: lib.sdResources,
      directorDirectives: [`Http Port = ${port}`],
      directorResources: `${libraryStorage('Auto Changer = yes')}
Pool { Name = Tapes; Pool Type = Backup }
FileSet { Name = FifoSet; Include { Options { Signature = SHA256; ReadFifo = yes }
  File = ${JSON.stringify(join(src, 'files'))}
  File = ${JSON.stringify(join(src, 'fifo'))} } }
Job { Name = backup-fifo; Type = Backup; Level = Full; Client = test-fd; FileSet = FifoSet; Storage = Library; Pool = Tapes; Messages = Standard }`,
    });
    const label = await burrow.console(['label storage=Library volume=A00001 pool=Tapes slot=1 drive=0']);
    assert.equal(label.code, 0, label.stdout + burrow.logs());
    shots = artifactsFor('dashboard-changer');
    browser = await startChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.fill('#login input[name=password]', burrow.passwords.console);
    await page.click('#login button');
    await page.waitForSelector('#board:not([hidden])');
  });
  after(async () => {
    await browser?.close();
    await burrow?.stop();
    rmSync(src, { recursive: true, force: true });
    lib?.remove();
  });

  it('shows each drive and each slot with its cartridge', async () => {
    await drive(1).waitFor();
    assert.equal(await drive(0).locator('td.state').textContent(), 'idle');
    assert.equal(await drive(1).locator('td.volume').textContent(), '');
    await slot(4).waitFor();
    // Slot 1's cartridge went into drive 0 for its label; slot 2's is not in the catalog.
    assert.deepEqual(await slot(1).locator('td').allTextContents(), ['1', 'A00001', 'Append', 'LTO', 'Tapes', lib.inDrive(0) === 'A00001' ? 'in a drive' : '']);
    assert.deepEqual(await slot(2).locator('td').allTextContents(), ['2', 'A00002', '?', '?', '?', '']);
    assert.equal(await slot(4).locator('td:last-child').textContent(), 'import/export');
    await shot('1-drives-and-slots');
  });

  it('unmounts, mounts a slot and releases a drive from the page', async () => {
    await drive(0).locator('button:text-is("Unmount")').click();
    await page.waitForSelector('#storage-list .storage[data-storage="Library"] tr.drive[data-drive="0"].unmounted');
    assert.match(await reply().textContent() ?? '', /^3002 Device .* unmounted/);
    await shot('2-unmounted');
    await drive(0).locator('input.slot').fill('1');
    await drive(0).locator('button:text-is("Mount")').click();
    await page.waitForSelector('#storage-list .storage[data-storage="Library"] tr.drive[data-drive="0"]:not(.unmounted)');
    assert.match(await reply().textContent() ?? '', /^3001 Device .* is mounted with Volume "A00001"/);
    assert.equal(lib.inDrive(0), 'A00001');
    await drive(0).locator('button:text-is("Release")').click();
    await page.waitForSelector('#storage-list .storage[data-storage="Library"] pre.reply:text-matches("^3022 ")');
    await shot('3-released');
  });

  it('shows the drive a backup writes on, and idle again once it ended', async () => {
    await page.fill('#run input[name=job]', 'backup-fifo');
    await page.click('#run button');
    // The job is held at the FIFO, its first files (more than a block) written: its drive says so.
    const writing = page.locator('#storage-list .storage[data-storage="Library"] tr.drive.appending');
    await writing.waitFor({ timeout: 60_000 });
    assert.match(await writing.textContent() ?? '', /JobId 1 \(to write\)/);
    assert.equal(await writing.locator('td.volume').textContent(), 'A00001');
    await shot('4-writing');
    const data = join(src, 'fifo-data');
    writeFileSync(data, 'through the FIFO\n');
    assert.equal(await feedFifo(join(src, 'fifo'), data), 0);
    await page.waitForSelector('#recent tr[data-jobid="1"] td:nth-child(7):text-is("T")', { timeout: 60_000 });
    await page.waitForSelector('#storage-list .storage[data-storage="Library"] tbody:not(:has(tr.drive.appending))');
    await shot('5-idle-after');
  });
});
