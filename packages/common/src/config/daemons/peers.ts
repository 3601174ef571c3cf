/**
 * The `Director` resource of the Storage and File daemons: which Director may
 * connect, with which password. `Monitor = yes` limits it to status queries.
 */
import { BAREOS_TLS } from '../schema/bareos.js';
import { bool, description, name, one, text } from '../schema/fields.js';
import { defineResource } from '../schema/resource.js';

export const peerDirectorSpec = defineResource({
  type: 'Director',
  fields: {
    name: one(name()),
    description: description(),
    password: one(text()),
    monitor: one(bool().default(false)),
  },
  unimplemented: [...BAREOS_TLS, 'Key Encryption Key', 'Maximum Bandwidth Per Job', 'Allowed Script Dir',
    'Allowed Job Command', 'Connection From Director To Client', 'Connection From Client To Director', 'Address', 'Port'],
});
