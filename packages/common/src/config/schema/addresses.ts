/**
 * Where a daemon listens, as Bareos configures it: `DirAddress = HOST` and `DirPort`,
 * or a `DirAddresses` block (the same for `SDAddresses`, `FDAddresses`) listing
 * several addresses, each of one family:
 *
 *   DIRAddresses = {
 *     ipv6 = { addr = :: ; port = 9101 }
 *     ipv4 = { addr = 0.0.0.0 ; port = 9101 }
 *     ip = { addr = backup.example.com }     # every address the name resolves to
 *   }
 *
 * An entry without `addr` means every address of its family; without `port`, the
 * daemon's port directive (or its default port); port 0 lets the system pick one,
 * the same for every address. Names are resolved when the daemon
 * checks its configuration (`-t`) and when it starts (common/src/net/addresses.ts).
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import type { BlockNode } from '../syntax/ast.js';
import type { Field } from './fields.js';
import type { BlockContext, BlockSpec } from './resource.js';

export type AddressFamily = 'ip' | 'ipv4' | 'ipv6';

/** One entry of an `...Addresses` block, checked. */
export interface ListenAddressEntry {
  readonly family: AddressFamily;
  /** A literal or a host name; absent for every address of the family. */
  readonly addr?: string;
  readonly port?: number;
}

const FAMILIES: readonly AddressFamily[] = ['ip', 'ipv4', 'ipv6'];

function buildEntry(node: BlockNode, ctx: BlockContext): ListenAddressEntry | undefined {
  const family = FAMILIES.find((f) => f === node.key);
  const at = { resource: ctx.resource, directive: node.name };
  if (!family) {
    ctx.problems.error({ file: node.file, line: node.line, ...at, message: 'expected ip, ipv4 or ipv6 = { addr = ...; port = ... }' });
    return undefined;
  }
  let addr: string | undefined;
  let port: number | undefined;
  for (const item of node.body) {
    const where = { file: item.file, line: item.line, resource: ctx.resource, directive: `${node.name} ${item.name}` };
    const value = item.kind === 'directive' && item.parts.length === 1 && item.parts[0]!.length === 1 ? item.parts[0]![0]!.text.trim() : undefined;
    if (value === undefined) { ctx.problems.error({ ...where, message: 'takes a single value' }); continue; }
    if (item.key === 'addr') addr = value;
    else if (item.key === 'port') {
      const n = /^\d+$/.test(value) ? Number(value) : NaN;
      // 0: the system picks a free port (fields.ts listenPort).
      if (n >= 0 && n <= 65535) port = n;
      else ctx.problems.error({ ...where, message: `"${value}" is not a port number from 0 to 65535` });
    } else ctx.problems.error({ ...where, message: 'expected addr or port' });
  }
  const literal = addr === undefined ? 0 : isIP(addr);
  if ((family === 'ipv4' && literal === 6) || (family === 'ipv6' && literal === 4)) {
    ctx.problems.error({ file: node.file, line: node.line, ...at, message: `${addr} is not an ${family} address` });
    return undefined;
  }
  return { family, ...(addr === undefined ? {} : { addr }), ...(port === undefined ? {} : { port }) };
}

function buildAddresses(node: BlockNode, ctx: BlockContext): ListenAddressEntry[] {
  const out: ListenAddressEntry[] = [];
  for (const item of node.body) {
    if (item.kind !== 'block') {
      ctx.problems.error({ file: item.file, line: item.line, resource: ctx.resource, directive: item.name,
        message: `expected ip, ipv4 or ipv6 = { addr = ...; port = ... } inside ${node.name}` });
      continue;
    }
    const entry = buildEntry(item, ctx);
    if (entry) out.push(entry);
  }
  if (out.length === 0 && node.body.length === 0) {
    ctx.problems.error({ file: node.file, line: node.line, resource: ctx.resource, directive: node.name, message: 'lists no address' });
  }
  return out;
}

/** The `...Addresses` field: entries of every such block, in file order. */
export function addressesField(): Field<z.ZodDefault<z.ZodArray<z.ZodCustom<ListenAddressEntry>>>> {
  return { zod: z.array(z.custom<ListenAddressEntry>()).default([]), arity: 'custom' };
}

/** The block that fills `prop` (`dirAddresses`...). */
export function addressesBlock(prop: string): BlockSpec {
  return { prop, build: buildAddresses, spread: true };
}
