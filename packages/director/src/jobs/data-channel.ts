/**
 * Where a job's data connection goes (Bareos's Lan Address). The Director may reach a
 * client and a Storage daemon through NAT (their `Address`), while the two sit on one LAN
 * and can reach each other directly there. When the job's Client and its Storage both
 * have a `Lan Address`, the daemon that opens the data connection (the File daemon, or
 * the Storage daemon for a passive client) is sent to the other's Lan Address; when
 * either has none, to its Address. The port stays the resource's own.
 */
import type { ClientTarget } from '../fd/client-link.js';
import type { StorageTarget } from '../sd/storage-link.js';

export interface DataChannelAddresses {
  /** Where the File daemon connects to the Storage daemon (an active client). */
  storageAddress: string;
  /** Where the Storage daemon connects to the File daemon (a passive client). */
  clientAddress: string;
}

export function dataChannel(client: Pick<ClientTarget, 'address' | 'lanAddress'>, storage: Pick<StorageTarget, 'address' | 'lanAddress'>): DataChannelAddresses {
  if (client.lanAddress !== undefined && storage.lanAddress !== undefined) {
    return { storageAddress: storage.lanAddress, clientAddress: client.lanAddress };
  }
  return { storageAddress: storage.address, clientAddress: client.address };
}
