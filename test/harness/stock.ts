/**
 * Bareos's stock configuration, made ready to run as its Debian package makes it.
 *
 * test/fixtures/bareos-stock holds, resource for resource, the configuration Bareos's
 * packages install (bareos-dir.d, bareos-sd.d, bareos-fd.d, bconsole.conf, the tray
 * monitor's Director and Console resources), written by us, with the install-time
 * placeholders (`@working_dir@`, `@archivedir@`, the passwords...) left in. `prepareStock`
 * fills them as a package's postinst would, pointing every path into a temporary
 * directory, and adds only what a test on a shared machine needs that a package gets
 * from Bareos's compiled-in defaults (TEST_ADDITIONS): ports of its own, and the
 * working and pid directories (Bareos compiles /var/lib/bareos and /run/bareos in).
 * The tree is filled with Bareos's default ports (for `-t`, which binds nothing), and
 * filled again as the daemons start on port 0 and tell theirs (PreparedTopology.write).
 *
 * `@bindir@` and `@scriptdir@` name where a package installs Burrow's programs and
 * scripts: here, the repository's (bsmtp, make_catalog_backup, ...), which the stock
 * Messages and BackupCatalog run. `@smtp_host@` is the caller's SMTP server (a test
 * server, so mail is checked rather than lost).
 *
 * One placeholder is bent for the test and says so: `@sbindir@`, which the stock
 * SelfTest FileSet (the one `backup-bareos-fd` uses) backs up, points at a small tree
 * the test builds, instead of the machine's /usr/sbin.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { PreparedTopology, TopologyPorts } from './daemons.js';
import { BINDIR, REPO, SCRIPTDIR } from './paths.js';

export const STOCK_TEMPLATES = join(REPO, 'test', 'fixtures', 'bareos-stock');

export interface StockTree extends PreparedTopology {
  /** Every placeholder's value. */
  readonly values: Readonly<Record<string, string>>;
  /** The configuration root, as /etc/bareos is for a package. */
  readonly etc: string;
  /** The tray monitor's passwords, as the package writes them into the three daemons' configurations. */
  readonly monitor: { readonly dir: string; readonly fd: string; readonly sd: string };
}

/**
 * Lines a test needs that a package does not write, inserted after the resource's
 * opening line (file relative to the tree -> lines with placeholders).
 */
const TEST_ADDITIONS: Readonly<Record<string, readonly string[]>> = {
  'bareos-dir.d/director/bareos-dir.conf': ['DirPort = @dir_listen_port@', 'Working Directory = "@working_dir@"', 'Pid Directory = "@piddir@"'],
  'bareos-dir.d/client/bareos-fd.conf': ['FDPort = @fd_port@'],
  'bareos-dir.d/storage/File.conf': ['SDPort = @sd_port@'],
  'bareos-fd.d/client/myself.conf': ['FDPort = @fd_listen_port@', 'Working Directory = "@working_dir@"', 'Pid Directory = "@piddir@"'],
  'bareos-sd.d/storage/bareos-sd.conf': ['SDPort = @sd_listen_port@', 'Working Directory = "@working_dir@"', 'Pid Directory = "@piddir@"'],
  'bconsole.conf': ['DIRport = @dir_port@'],
};

function templates(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) templates(path, out);
    else if (name.endsWith('.conf')) out.push(path);
  }
  return out;
}

/** Replaces every `@name@`; a placeholder without a value is an error, so a new one in the templates is noticed. */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>, file: string): string {
  return text.replace(/@([A-Za-z_]+)@/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${file}: no value for placeholder ${whole}`);
    return value;
  });
}

function withAdditions(text: string, extra: readonly string[] | undefined): string {
  if (!extra) return text;
  const lines = text.split('\n');
  const open = lines.findIndex((l) => l.includes('{'));
  lines.splice(open + 1, 0, ...extra.map((l) => `  ${l}  # test: see test/harness/stock.ts`));
  return lines.join('\n');
}

export interface StockOptions {
  /** What @sbindir@ names: the tree the SelfTest FileSet backs up. */
  readonly selfTestTree: string;
  /** @smtp_host@: host[:port] of the SMTP server bsmtp delivers to. */
  readonly smtpHost: string;
}

/** Bareos's default ports: what the tree names until the daemons have started. */
const DEFAULT_PORTS: Readonly<TopologyPorts> = { dir: 9101, sd: 9103, fd: 9102 };

/**
 * The placeholders for ports: a daemon's own port (`*_listen_port`) is 0 until it has
 * one, then pinned, the Director's stays 0 (see PreparedTopology.write); peers name the
 * port each daemon got, or Bareos's default before any started.
 */
function portValues(ports: Readonly<TopologyPorts>): Record<string, string> {
  const peer = (p: keyof TopologyPorts): string => String(ports[p] || DEFAULT_PORTS[p]);
  return {
    dir_port: peer('dir'), fd_port: peer('fd'), sd_port: peer('sd'),
    dir_listen_port: '0', fd_listen_port: String(ports.fd), sd_listen_port: String(ports.sd),
  };
}

/** Writes every template, filled, into `etc`. */
function fillTree(etc: string, values: Readonly<Record<string, string>>): void {
  for (const template of templates(STOCK_TEMPLATES)) {
    const rel = relative(STOCK_TEMPLATES, template);
    const target = join(etc, rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, fillPlaceholders(withAdditions(readFileSync(template, 'utf8'), TEST_ADDITIONS[rel]), values, rel));
  }
}

/** Writes the filled stock tree into a new temporary directory. */
export function prepareStock(o: StockOptions): StockTree {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-stock-'));
  const pw = (): string => randomBytes(24).toString('base64');
  const lib = join(dir, 'var', 'lib', 'bareos');
  const etc = join(dir, 'etc', 'bareos');
  const values: Record<string, string> = {
    basename: 'bareos', hostname: 'localhost',
    dir_password: pw(), fd_password: pw(), sd_password: pw(),
    mon_dir_password: pw(), mon_fd_password: pw(), mon_sd_password: pw(),
    DEFAULT_DB_TYPE: 'sqlite3', db_name: 'bareos', db_user: 'bareos', db_password: '',
    working_dir: lib, workingdir: lib, archivedir: join(lib, 'storage'), piddir: join(dir, 'run', 'bareos'),
    scriptdir: SCRIPTDIR, bindir: BINDIR, sbindir: o.selfTestTree,
    confdir: etc, logdir: join(dir, 'var', 'log', 'bareos'),
    smtp_host: o.smtpHost, job_email: 'root@localhost',
  };
  const write = (ports: Readonly<TopologyPorts>): void => fillTree(etc, { ...values, ...portValues(ports) });
  write({ dir: 0, sd: 0, fd: 0 });
  return {
    dir, etc, values, write,
    configs: { dir: join(etc, 'bareos-dir.d'), sd: join(etc, 'bareos-sd.d'), fd: join(etc, 'bareos-fd.d'), console: join(etc, 'bconsole.conf') },
    passwords: { console: values.dir_password!, client: values.fd_password!, storage: values.sd_password! },
    monitor: { dir: values.mon_dir_password!, fd: values.mon_fd_password!, sd: values.mon_sd_password! },
  };
}
