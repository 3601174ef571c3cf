/**
 * Debian's Firefox ESR for the browser tests, driven over WebDriver BiDi by
 * puppeteer-core (playwright-core drives only its own patched Firefox builds, which
 * cannot be downloaded here; a stock Firefox since 128 speaks BiDi). Installed with
 * apt-get when missing, as Chromium is; the preferences keep it from reaching anything
 * but the page.
 */
import puppeteer, { type Browser } from 'puppeteer-core';
import { ensureDebianPackage } from './debian.js';

export const FIREFOX = '/usr/bin/firefox-esr';

/** Firefox's own calls home, turned off: a test talks to the Director on loopback only. */
const QUIET_PREFS: Record<string, unknown> = {
  'app.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'extensions.update.enabled': false,
};

export async function startFirefox(): Promise<Browser> {
  ensureDebianPackage(FIREFOX, 'firefox-esr');
  return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, extraPrefsFirefox: QUIET_PREFS, protocolTimeout: 120_000 });
}
