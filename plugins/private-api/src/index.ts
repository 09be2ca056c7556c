/**
 * Frontend of the private API catalogue: the "Private API" entity tab and its cards.
 * This entry point serves Backstage's legacy frontend system; `/alpha` serves the new one.
 *
 * @packageDocumentation
 */

export { privateApiPlugin, EntityPrivateApiContent } from './plugin';
export { isPrivateApiAvailable } from './conditions';
export * from './api';
