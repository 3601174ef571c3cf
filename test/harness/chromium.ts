/**
 * Debian's Chromium for the browser tests, driven by playwright-core (no browser
 * download: the machine's own). Installed with apt-get when missing, as the suite
 * installs what it needs; the flags keep it from reaching anything but the page.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO } from './paths.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Where the browser tests keep their screenshots (ignored by git, kept after the run). */
export const ARTIFACTS = join(REPO, 'test', 'artifacts');

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const r = spawnSync('apt-get', args, { encoding: 'utf8', env, timeout: 900_000 });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (${r.status ?? r.error?.message}): ${r.stderr.slice(-500)}`);
  }
}

export async function startChromium(): Promise<Browser> {
  ensureChromium();
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

/** A folder for one test's screenshots. */
export function artifactsFor(name: string): string {
  const dir = join(ARTIFACTS, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
