/**
 * Changers: the robots that move cartridges between slots and drives. The Storage
 * daemon drives every changer through its Changer Command and the mtx-changer contract
 * (contract.ts: the commands, their answers and exit codes), so a real library's
 * mtx-changer, a script an administrator brings from Bareos or Bacula, and
 * burrow-vchanger (virtual tapes, vchanger-state.ts and tools/vchanger.ts) are all one
 * ScriptChanger (script-changer.ts). conformance.ts is the changer-contract suite each
 * one runs.
 *
 * Terms: a *slot* (storage element, from 1) holds a cartridge; an *import/export slot*
 * is where an operator puts cartridges in and takes them out; a *drive* (data transfer
 * element, from 0: the Device's Drive Index) holds the cartridge it loaded and
 * remembers its *home slot*; a *barcode* is the label on a cartridge, and Burrow's
 * volume name for it.
 */
export { CHANGER_COMMANDS, isChangerCommand, parseList, parseListall, parseLoaded, parseSlots, saysSlotEmpty } from './contract.js';
export type { ChangerCommandName, ChangerElement, ListedSlot, SlotList } from './contract.js';
export { changerArgv, type ChangerCall, type ChangerCommandTemplate } from './command-line.js';
export { DEFAULT_MAXIMUM_CHANGER_WAIT, ScriptChanger, type CallContext, type ChangerDrive, type ScriptChangerOptions } from './script-changer.js';
export { Autochanger, ChangerTapeDrive, NotInChanger } from './changer-drive.js';
