/**
 * The catalog module of the private API catalogue, as this entry point's default export:
 * `backend.add(import('@private-api-catalog/plugin-private-api-backend/catalog'))`.
 *
 * @packageDocumentation
 */

export { catalogModulePrivateApiEntityProvider as default } from './module/catalogModule';
