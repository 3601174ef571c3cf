/**
 * The SD's side of the operator's `mount`, `unmount` and `release` (Bareos's MountCmd,
 * UnmountCmd, ReleaseCmd, ReadLabelCmd; and `wake`, Burrow's, after update slots): the Director passes the command on with the device and
 * drive it names, and gets Bareos's numbered reply back. An unknown action is refused
 * with Bareos's "3900 Invalid command".
 */
import type { burrow } from '@burrow/common/proto/index';
import type { DriveOperator, DriveReply } from '../reservations/index.js';

export async function driveReply(operator: DriveOperator, cmd: burrow.SdDriveCommand): Promise<burrow.ISdDriveReply> {
  const at = { device: cmd.device, drive: cmd.drive };
  switch (cmd.action) {
    case 'mount':
      return operator.mount(at, cmd.slot, cmd.volumeName);
    case 'unmount':
      return operator.unmount(at);
    case 'release':
      return operator.release(at);
    case 'wake':
      return Promise.resolve(operator.wakeWaiting(cmd.device));
    case 'readlabel':
      return operator.readLabel(at, cmd.slot);
    case 'nextwrite': {
      const { point, ...r } = await operator.nextWrite(at, cmd.volumeName, Number(cmd.address));
      return point ? { ...r, volBytes: point.volBytes, nextBlock: point.lastBlockNumber + 1, volFiles: point.files } : r;
    }
    default:
      return Promise.resolve({ code: 3900, text: `3900 Invalid command: ${JSON.stringify(cmd.action)} is not mount, unmount, release, wake, readlabel or nextwrite` });
  }
}
