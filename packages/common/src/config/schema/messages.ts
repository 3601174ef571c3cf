/**
 * The Messages resource, shared by every daemon. Each destination line
 * (`Append = "/var/log/burrow.log" = all, !skipped`, `Console = all`) becomes one
 * `{ destination, address?, types }` in `destinations`, in file order.
 */
import { z } from 'zod';
import type { DirectiveNode } from '../syntax/ast.js';
import { description, type Field, name, NOT_YET, one, text } from './fields.js';
import { defineResource } from './resource.js';

/** Destinations that name an address (file, mail address, Director name) before the types. */
const WITH_ADDRESS = ['append', 'file', 'mail', 'mailonerror', 'mailonsuccess', 'operator', 'director'];
const WITHOUT_ADDRESS = ['console', 'stdout', 'stderr', 'catalog'];
/** Syslog takes an optional facility. */
const OPTIONAL_ADDRESS = ['syslog'];

/** Bareos's message types (core/src/include/messages.h). */
export const MESSAGE_TYPES = [
  'all', 'debug', 'abort', 'fatal', 'error', 'warning', 'info', 'saved', 'notsaved', 'skipped',
  'mount', 'errorterm', 'terminate', 'restored', 'security', 'alert', 'volmgmt', 'audit', 'configerror',
] as const;

export interface MessageDestination {
  /** Lower case, no spaces: `append`, `mailonerror`, `console`... */
  destination: string;
  address?: string;
  /** As written, lower-cased: `all`, `!skipped`. */
  types: string[];
}

function collectDestination(d: DirectiveNode): MessageDestination | string {
  const destination = d.key;
  const needsAddress = WITH_ADDRESS.includes(destination);
  const mayHaveAddress = needsAddress || OPTIONAL_ADDRESS.includes(destination);
  const hasAddress = d.parts.length === 2;
  if (d.parts.length > 2) return 'expected "destination = address = types"';
  if (hasAddress && !mayHaveAddress) return 'takes only message types (e.g. all, !skipped)';
  if (!hasAddress && needsAddress) return `expected "${d.name} = address = types"`;
  const addressPart = hasAddress ? d.parts[0]! : undefined;
  if (addressPart && addressPart.length !== 1) return 'takes one address';
  const types = (d.parts[d.parts.length - 1] ?? []).map((v) => v.text.trim().toLowerCase());
  for (const t of types) {
    if (!(MESSAGE_TYPES as readonly string[]).includes(t.replace(/^!/, ''))) return `unknown message type "${t}"`;
  }
  const address = addressPart?.[0]?.text;
  return address === undefined ? { destination, types } : { destination, address, types };
}

const destinationField: Field = {
  zod: z.array(z.custom<MessageDestination>()).default([]),
  arity: 'custom',
  collect: collectDestination,
};

export const messagesSpec = defineResource({
  type: 'Messages',
  fields: {
    name: one(name()),
    description: description(),
    mailCommand: one(text().optional()),
    operatorCommand: one(text().optional()),
    timestampFormat: one(text().optional(), NOT_YET),
    destinations: destinationField as Field<z.ZodDefault<z.ZodArray<z.ZodCustom<MessageDestination>>>>,
  },
  aliases: Object.fromEntries([...WITH_ADDRESS, ...WITHOUT_ADDRESS, ...OPTIONAL_ADDRESS].map((d) => [d, 'destinations'])) as Record<string, 'destinations'>,
  unimplemented: ['Mail Command Fqdn', 'Operator Command Fqdn'],
});
