/**
 * Debian's Chromium for the browser tests, driven by playwright-core (no browser
 * download: the machine's own). Installed with apt-get when missing, as the suite
 * installs what it needs; the flags keep it from reaching anything but the page.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO } from './paths.js';
import { ensureDebianPackage } from './debian.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Where the browser tests keep their screenshots (ignored by git, kept after the run). */
export const ARTIFACTS = join(REPO, 'test', 'artifacts');

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function startChromium(): Promise<Browser> {
  ensureDebianPackage(CHROMIUM, 'chromium');
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** A folder for one test's screenshots. */
export function artifactsFor(name: string): string {
  const dir = join(ARTIFACTS, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
