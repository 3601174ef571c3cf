/** The name Bareos gives the default (unnamed, all-powerful) console. */
export const DEFAULT_CONSOLE_NAME = '*UserAgent*';
