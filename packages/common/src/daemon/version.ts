/**
 * Burrow's version, as every part shows it: `status` and `version`, the job report's
 * header, the hello each connection opens with. Said once here; the package.json
 * files carry it too, for npm, and version.test.ts keeps the two equal.
 */
export const VERSION = '0.1.0';
