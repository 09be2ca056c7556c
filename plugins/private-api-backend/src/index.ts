/**
 * Backend plugin and catalog module of the private API catalogue.
 *
 * @packageDocumentation
 */

export { privateApiPlugin as default } from './plugin';
