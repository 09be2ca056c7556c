/**
 * Shared types, annotation keys, permissions and the pure domain logic of the private API
 * catalogue, used at run time by the backend and the frontend alike.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './permissions';
export * from './inventory/types';
