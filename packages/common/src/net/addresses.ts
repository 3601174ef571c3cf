/**
 * Turns a daemon's listening directives (`DirAddress`/`DirPort` or a `DirAddresses`
 * block, config/schema/addresses.ts) into the sockets it listens on. The same
 * resolution runs for `-t` and at start (daemon/preflight.ts), so a name that does
 * not resolve, or an address that is not this machine's, is found by `-t`.
 *
 * Given no address, a daemon listens on every IPv6 and IPv4 address, as Bareos does:
 * one dual-stack socket on `::`, or on 0.0.0.0 where the machine has no IPv6 (Node's
 * own behaviour for a listen without a host).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { ListenAddressEntry } from '../config/schema/addresses.js';

/** A daemon's own listening directives, as loaded. */
export interface ListenConfig {
  /** `DirAddress` (`SDAddress`, `FDAddress`), when set. */
  readonly address: string | undefined;
  readonly port: number;
  /** The `...Addresses` block's entries (empty when not given). */
  readonly addresses: readonly ListenAddressEntry[];
}

/** One socket to listen on. */
export interface ListenBind {
  /** Undefined: every address, IPv6 and IPv4 (dual stack). */
  readonly host: string | undefined;
  readonly port: number;
  /** An explicit `::` listens on IPv6 only, so an IPv4 entry may share its port (as in Bareos's example). */
  readonly ipv6Only: boolean;
}

/** One address request before name resolution: which directive asked for it. */
export interface ListenRequest {
  /** The property that set it: `dirAddress` or `dirAddresses`... */
  readonly from: 'address' | 'addresses';
  readonly family: 0 | 4 | 6;
  readonly addr: string | undefined;
  readonly port: number;
}

export function listenRequests(c: ListenConfig): ListenRequest[] {
  if (c.addresses.length === 0) return [{ from: 'address', family: 0, addr: c.address, port: c.port }];
  return c.addresses.map((e) => ({
    from: 'addresses' as const,
    family: e.family === 'ipv4' ? 4 as const : e.family === 'ipv6' ? 6 as const : 0 as const,
    addr: e.addr ?? (e.family === 'ipv4' ? '0.0.0.0' : e.family === 'ipv6' ? '::' : undefined),
    port: e.port ?? c.port,
  }));
}

const WILDCARDS = new Set(['0.0.0.0', '::']);

/** True when a socket can be bound to `ip` here: a wildcard, an interface's address, or loopback's 127/8. */
export function isLocalAddress(ip: string): boolean {
  if (WILDCARDS.has(ip) || ip.startsWith('127.')) return true;
  const wanted = ip.toLowerCase();
  return Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address.toLowerCase() === wanted));
}

/**
 * Resolves one request to the sockets it stands for (a name: every address it
 * resolves to, of the family asked). Throws an Error whose message says, for an
 * administrator, what is wrong with the address.
 */
export async function resolveRequest(r: ListenRequest): Promise<ListenBind[]> {
  if (r.addr === undefined) return [{ host: undefined, port: r.port, ipv6Only: false }];
  let ips: string[];
  if (isIP(r.addr)) ips = [r.addr];
  else {
    try {
      const found = await lookup(r.addr, { all: true, family: r.family });
      ips = found.map((a) => a.address);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new Error(`"${r.addr}" is neither an IP address nor a host name that resolves${r.family ? ` to an IPv${r.family} address` : ''} (${code})`);
    }
  }
  const foreign = ips.filter((ip) => !isLocalAddress(ip));
  if (foreign.length > 0) {
    const shown = isIP(r.addr) ? r.addr : `"${r.addr}" (${foreign.join(', ')})`;
    throw new Error(`${shown} is not an address of this machine, so nothing can listen on it`);
  }
  return ips.map((ip) => ({ host: ip, port: r.port, ipv6Only: ip === '::' }));
}

/** Drops repeated sockets (a name and a literal for the same address). */
export function uniqueBinds(binds: readonly ListenBind[]): ListenBind[] {
  const seen = new Set<string>();
  return binds.filter((b) => {
    const key = `${b.host ?? '*'}|${b.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `[::1]:9101`, `127.0.0.1:9101`, `*:9101` for the log line scripts and tests wait for. */
export function describeBind(b: { host: string | undefined; port: number }): string {
  if (b.host === undefined) return `*:${b.port}`;
  return isIP(b.host) === 6 ? `[${b.host}]:${b.port}` : `${b.host}:${b.port}`;
}
