/**
 * @burrow/common: what every Burrow part shares — the wire protocol (proto/, net/),
 * the error vocabulary (errors/), configuration (config/) and logging (log/).
 * Import the folders directly: `@burrow/common/net/client`.
 */
export * from './errors/index.js';
