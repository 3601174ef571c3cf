/**
 * The `Director` resource of the Storage and File daemons: which Director may
 * connect, with which password. `Monitor = yes` limits it to status queries. The File
 * daemon's has more: the directions its connections with that Director may take.
 */
import { BAREOS_TLS } from '../schema/bareos.js';
import { bool, description, name, one, port, speed, text } from '../schema/fields.js';
import { defineResource } from '../schema/resource.js';

const peerDirectorFields = {
  name: one(name()),
  description: description(),
  password: one(text()),
  monitor: one(bool().default(false)),
};

const PEER_DIRECTOR_UNIMPLEMENTED = [...BAREOS_TLS, 'Key Encryption Key', 'Allowed Script Dir', 'Allowed Job Command'];

export const peerDirectorSpec = defineResource({
  type: 'Director',
  fields: peerDirectorFields,
  unimplemented: [...PEER_DIRECTOR_UNIMPLEMENTED, 'Maximum Bandwidth Per Job', 'Connection From Director To Client', 'Connection From Client To Director', 'Address', 'Port'],
});

/**
 * The File daemon's Director resource. Bareos's client-initiated connection
 * (docs/firewalled-clients.md): with `Connection From Client To Director = yes` the File
 * daemon keeps a connection open to the Director at `Address`:`Port`, which the
 * Director uses for this client's jobs; `Connection From Director To Client = no`
 * refuses the Director's own connections. `Maximum Bandwidth Per Job` limits the jobs
 * of this Director.
 */
export const fdDirectorSpec = defineResource({
  type: 'Director',
  fields: {
    ...peerDirectorFields,
    address: one(text().optional()),
    port: one(port().default(9101)),
    connectionFromClientToDirector: one(bool().default(false)),
    connectionFromDirectorToClient: one(bool().default(true)),
    // Bareos: the limit of the jobs this Director runs here, in place of the FileDaemon
    // resource's Maximum Bandwidth Per Job; a job's own (Maximum Bandwidth, setbandwidth)
    // holds only when lower (file-daemon/src/dir/director-session.ts).
    maximumBandwidthPerJob: one(speed().optional()),
  },
  unimplemented: PEER_DIRECTOR_UNIMPLEMENTED,
});
