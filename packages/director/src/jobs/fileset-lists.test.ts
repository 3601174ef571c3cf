import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { expandOnDirector } from './fileset-lists.js';
import type { FileSetResource } from '@burrow/common/config/index';
import { fileSetSpec } from '../setup/fileset.js';

const fileSet = (name: string, files: string[]): FileSetResource => ({
  name, ignoreFileSetChanges: false, excludeFiles: [], includes: [{ files, options: [], excludeDirContaining: [], plugins: [] }],
} as unknown as FileSetResource);

test('Director-side |command and <file lists expand; \\| and \\< go to the client without the backslash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-lists-'));
  try {
    writeFileSync(join(dir, 'list'), '/srv/a\r\n\n/srv/b\n');
    const spec = fileSetSpec(fileSet('L', ['/plain', `<${join(dir, 'list')}`, '|/bin/echo /from/cmd', '\\|/bin/client-cmd', '\\</etc/client.list']), (p) => `/resolved${p}`);
    const out = await expandOnDirector(spec, new AbortController().signal);
    const files = (out.includes?.[0]?.files ?? []).map((f) => Buffer.from(f).toString());
    assert.deepEqual(files, ['/resolved/plain', '/srv/a', '/srv/b', '/from/cmd', '|/bin/client-cmd', '</etc/client.list']);
    const failing = fileSetSpec(fileSet('F', ['|/bin/false']));
    await assert.rejects(expandOnDirector(failing, new AbortController().signal), /FileSet "F" Include #1: File = "\|\/bin\/false" failed on the Director: exit status 1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
