/**
 * A Linux network namespace for the tests that need a firewall between daemons: a
 * client behind it, reached only one way. The namespace gets one end of a veth pair
 * (10.x.y.2/30), the host the other (10.x.y.1/30); nftables rules inside the namespace
 * drop new TCP connections one way (a SYN without ACK), or everything (a cut link).
 * Needs root, `ip` (iproute2) and `nft` (nftables): the packages are installed with
 * apt-get when missing, as the suite installs what it needs (chromium.ts);
 * `unavailable()` says why a test must skip when namespaces cannot be made here.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

const IP = '/usr/sbin/ip';
const NFT = '/usr/sbin/nft';

function run(argv: readonly string[], input?: string): void {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', input, timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status ?? r.error?.message}): ${r.stderr}`);
}

function ensurePackages(): void {
  const missing = [[IP, 'iproute2'], [NFT, 'nftables']].filter(([path]) => !existsSync(path!)).map(([, pkg]) => pkg!);
  if (missing.length === 0) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
    const r = spawnSync('apt-get', args, { encoding: 'utf8', env, timeout: 600_000 });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (${r.status ?? r.error?.message}): ${r.stderr.slice(-500)}`);
  }
}

export class NetNamespace {
  /** The host's end of the link, where host daemons listen for the namespace. */
  readonly hostAddress: string;
  /** The namespace's end, where its daemons listen. */
  readonly innerAddress: string;
  private readonly hostLink: string;
  private readonly innerLink: string;

  private constructor(readonly name: string) {
    const id = randomBytes(3).toString('hex');
    this.hostLink = `bw${id}h`;
    this.innerLink = `bw${id}n`;
    const net = `10.${randomInt(100, 200)}.${randomInt(0, 256)}.${4 * randomInt(0, 64)}`.split('.').map(Number);
    this.hostAddress = [net[0], net[1], net[2], net[3]! + 1].join('.');
    this.innerAddress = [net[0], net[1], net[2], net[3]! + 2].join('.');
  }

  /**
   * Why a namespace cannot be made here, or undefined when it can: a test skips with
   * this reason. Installs iproute2 and nftables first when they are missing.
   */
  static unavailable(): string | undefined {
    if (process.getuid?.() !== 0) return 'network namespaces need root';
    try {
      ensurePackages();
      const probe = `burrow-probe-${process.pid}`;
      run([IP, 'netns', 'add', probe]);
      run([IP, 'netns', 'delete', probe]);
      return undefined;
    } catch (err) {
      return `cannot create a network namespace here: ${(err as Error).message}`;
    }
  }

  static create(): NetNamespace {
    const ns = new NetNamespace(`burrow-${process.pid}-${randomBytes(2).toString('hex')}`);
    run([IP, 'netns', 'add', ns.name]);
    try {
      run([IP, 'link', 'add', ns.hostLink, 'type', 'veth', 'peer', 'name', ns.innerLink]);
      run([IP, 'link', 'set', ns.innerLink, 'netns', ns.name]);
      run([IP, 'addr', 'add', `${ns.hostAddress}/30`, 'dev', ns.hostLink]);
      run([IP, 'link', 'set', ns.hostLink, 'up']);
      ns.exec([IP, 'addr', 'add', `${ns.innerAddress}/30`, 'dev', ns.innerLink]);
      ns.exec([IP, 'link', 'set', ns.innerLink, 'up']);
      ns.exec([IP, 'link', 'set', 'lo', 'up']);
    } catch (err) {
      ns.remove();
      throw err;
    }
    return ns;
  }

  /** What runs a program inside the namespace (startDaemonProcess's prefix). */
  get prefix(): string[] {
    return [IP, 'netns', 'exec', this.name];
  }

  private exec(argv: readonly string[], input?: string): void {
    run([...this.prefix, ...argv], input);
  }

  /** Nothing from outside may open a connection into the namespace (its daemons may still connect out). */
  blockIncoming(): void {
    this.rules([`chain input { type filter hook input priority 0; policy accept; iifname "${this.innerLink}" tcp flags syn / syn,ack drop; }`]);
  }

  /** Nothing inside may open a connection out of the namespace (connections from outside still work). */
  blockOutgoing(): void {
    this.rules([`chain output { type filter hook output priority 0; policy accept; oifname "${this.innerLink}" tcp flags syn / syn,ack drop; }`]);
  }

  /** The link goes silent both ways, without a reset: as a cable pulled or a router gone. */
  cut(): void {
    this.rules([
      `chain cut-in { type filter hook input priority -10; policy accept; iifname "${this.innerLink}" drop; }`,
      `chain cut-out { type filter hook output priority -10; policy accept; oifname "${this.innerLink}" drop; }`,
    ]);
  }

  private rules(chains: readonly string[]): void {
    this.exec([NFT, '-f', '-'], `table inet burrow {\n${chains.map((c) => `  ${c}\n`).join('')}}\n`);
  }

  /** Removes the namespace and its link; safe to call twice. */
  remove(): void {
    spawnSync(IP, ['link', 'delete', this.hostLink], { timeout: 10_000 });
    spawnSync(IP, ['netns', 'delete', this.name], { timeout: 10_000 });
  }
}

/**
 * Whether a TCP connection to host:port opens within `timeoutMs`, tried from inside
 * `ns` when given (a probe run there by `node -e`): how a test shows a direction blocked.
 */
export function connects(host: string, port: number, timeoutMs: number, ns?: NetNamespace): Promise<boolean> {
  if (ns !== undefined) {
    const probe = `const s=require('net').connect(${port},${JSON.stringify(host)},()=>process.exit(0));s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),${timeoutMs});`;
    const r = spawnSync(ns.prefix[0]!, [...ns.prefix.slice(1), process.execPath, '-e', probe], { timeout: timeoutMs + 10_000 });
    return Promise.resolve(r.status === 0);
  }
  return new Promise((resolve) => {
    const socket = connect(port, host);
    const timer = setTimeout(() => { socket.destroy(); resolve(false); }, timeoutMs);
    socket.once('connect', () => { clearTimeout(timer); socket.destroy(); resolve(true); });
    socket.once('error', () => { clearTimeout(timer); resolve(false); });
  });
}
