import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataChannel } from './data-channel.js';

// Bareos's example: the Director outside, reaching through NAT a client and a Storage daemon that share a LAN.
const FD_LAN = { address: '8.8.8.10', lanAddress: '10.0.0.10' };
const SD_LAN = { address: '8.8.8.20', lanAddress: '10.0.0.20' };
const FD_WAN = { address: '8.8.8.30' };
const SD_WAN = { address: '8.8.8.40' };

test('both on the LAN: the data connection goes to the other\'s Lan Address, whichever daemon opens it', () => {
  assert.deepEqual(dataChannel(FD_LAN, SD_LAN), { storageAddress: '10.0.0.20', clientAddress: '10.0.0.10' });
});

test('only one or neither with a Lan Address: each Address, as the Director reaches them', () => {
  assert.deepEqual(dataChannel(FD_LAN, SD_WAN), { storageAddress: '8.8.8.40', clientAddress: '8.8.8.10' });
  assert.deepEqual(dataChannel(FD_WAN, SD_LAN), { storageAddress: '8.8.8.20', clientAddress: '8.8.8.30' });
  assert.deepEqual(dataChannel(FD_WAN, SD_WAN), { storageAddress: '8.8.8.40', clientAddress: '8.8.8.30' });
});
