/**
 * Broken configurations against the real binaries' `-t` (test the configuration):
 * an unknown directive, a bad value and a syntax error each make the daemon exit 1
 * with the file, the line and the directive on stderr; the ready configs in configs/
 * pass.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../harness/daemons.js';
import { BIN, REPO } from '../harness/paths.js';

type Program = 'dir' | 'sd' | 'fd' | 'bconsole';

/** A valid minimal configuration per program; `{BROKEN}` marks the line a case replaces. */
const VALID: Record<Program, string> = {
  dir: 'Director {\n  Name = t-dir\n  Password = "pw"\n  {BROKEN}\n}\n',
  sd: 'Storage {\n  Name = t-sd\n  {BROKEN}\n}\nDirector {\n  Name = t-dir\n  Password = "pw"\n}\nDevice {\n  Name = FileStorage\n  Media Type = File\n  Archive Device = /tmp\n}\n',
  fd: 'FileDaemon {\n  Name = t-fd\n  {BROKEN}\n}\nDirector {\n  Name = t-dir\n  Password = "pw"\n}\n',
  bconsole: 'Director {\n  Name = t-dir\n  Address = 127.0.0.1\n  Password = "pw"\n  {BROKEN}\n}\n',
};
/** The line `{BROKEN}` is on in each template. */
const BROKEN_LINE: Record<Program, number> = { dir: 4, sd: 3, fd: 3, bconsole: 5 };

interface Case {
  what: string;
  program: Program;
  line: string;
  /** What stderr must say after `file:line:`. */
  says: RegExp;
}

const CASES: Case[] = [
  { what: 'an unknown directive', program: 'dir', line: 'Frobnicate = yes', says: /Director "t-dir": Frobnicate: unknown directive/ },
  { what: 'a bad value', program: 'dir', line: 'Maximum Concurrent Jobs = lots', says: /Maximum Concurrent Jobs: "lots" is not an integer/ },
  { what: 'an unterminated string', program: 'dir', line: 'Working Directory = "/var/lib/burrow', says: /unterminated quoted string in the value of "Working Directory"/ },
  { what: 'an unknown directive', program: 'sd', line: 'Spool Everything = yes', says: /Storage "t-sd": Spool Everything: unknown directive/ },
  { what: 'a bad value', program: 'sd', line: 'SDPort = 70000', says: /SDPort: "70000" is not an integer from 0 to 65535/ },
  { what: 'a missing "="', program: 'sd', line: 'SDPort 9103', says: /expected "=" or "\{" after "SDPort 9103"/ },
  { what: 'an unknown directive', program: 'fd', line: 'Bogus Directive = 3', says: /FileDaemon "t-fd": Bogus Directive: unknown directive/ },
  { what: 'a bad value', program: 'fd', line: 'FDPort = notanumber', says: /FDPort: "notanumber" is not an integer/ },
  { what: 'a missing "="', program: 'fd', line: 'FDAddress 127.0.0.1', says: /expected "=" or "\{" after "FDAddress 127\.0\.0\.1"/ },
  { what: 'an unknown directive', program: 'bconsole', line: 'Addrss = 10.0.0.1', says: /Director "t-dir": Addrss: unknown directive/ },
];

const BINARY: Record<Program, string> = { dir: BIN.dir, sd: BIN.sd, fd: BIN.fd, bconsole: BIN.bconsole };

function check(program: Program, config: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runProcess(process.execPath, [BINARY[program], '-t', '-c', config], '', 30_000);
}

describe('configuration errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-badconf-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the valid templates pass -t (so each case below has exactly one fault)', async () => {
    for (const program of Object.keys(VALID) as Program[]) {
      const file = join(dir, `valid-${program}.conf`);
      writeFileSync(file, VALID[program].replace('{BROKEN}', ''));
      const r = await check(program, file);
      assert.equal(r.code, 0, `${program}: ${r.stderr}`);
    }
  });

  CASES.forEach((c, i) => {
    it(`${c.program} -t refuses ${c.what}: exit 1, file, line and directive on stderr`, async () => {
      const file = join(dir, `case-${i}-${c.program}.conf`);
      writeFileSync(file, VALID[c.program].replace('{BROKEN}', c.line));
      const r = await check(c.program, file);
      assert.equal(r.code, 1, `expected exit 1, got ${r.code}\n${r.stdout}${r.stderr}`);
      assert.equal(r.stdout, '');
      const at = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${BROKEN_LINE[c.program]}: .*${c.says.source}`);
      assert.match(r.stderr, at);
    });
  });

  it('dir -t refuses a Schedule Run line that does not parse, naming the Schedule and its line', async () => {
    const file = join(dir, 'bad-schedule.conf');
    writeFileSync(file, `${VALID.dir.replace('{BROKEN}', '')}Schedule {\n  Name = Nightly\n  Run = Level=Full every tuesday at 23:05\n}\n`);
    const r = await check('dir', file);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:6: Schedule "Nightly": Run = "Level=Full every tuesday at 23:05": "every" is not a day`));
  });

  it('names the file inside a configuration directory', async () => {
    const conf = join(dir, 'burrow-fd.d');
    cpSync(join(REPO, 'configs', 'burrow-fd.d'), conf, { recursive: true });
    const target = join(conf, 'director', 'other-dir.conf');
    writeFileSync(target, '# added by the test\nDirector {\n  Name = other-dir\n  Password = "x"\n  Maximum Bandwidth = fast\n}\n');
    const r = await check('fd', conf);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`${target.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:5: .*Maximum Bandwidth`));
  });

  it('the ready configs in configs/ pass -t for the three daemons and bconsole', async () => {
    const configs = join(REPO, 'configs');
    const ready: Array<[Program, string]> = [
      ['dir', join(configs, 'burrow-dir.d')], ['sd', join(configs, 'burrow-sd.d')],
      ['fd', join(configs, 'burrow-fd.d')], ['bconsole', join(configs, 'bconsole.conf')],
    ];
    for (const [program, path] of ready) {
      assert.ok(statSync(path, { throwIfNoEntry: false }), `${path} is missing (configs/ has ${readdirSync(configs).join(', ')})`);
      const r = await check(program, path);
      assert.equal(r.code, 0, `${program} -t -c ${path}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stderr, '', `${program} warned about the ready config: ${r.stderr}`);
    }
  });
});
