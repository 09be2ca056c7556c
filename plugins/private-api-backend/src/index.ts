/**
 * Backend plugin and catalog module of the private API catalogue.
 *
 * @packageDocumentation
 */

export { privateApiPlugin as default, DISCOVERY_TASK_ID } from './plugin';
export { catalogModulePrivateApiEntityProvider } from './module/catalogModule';
export {
  apiToEntity,
  vpcEndpointToEntity,
  scopeLocationKey,
} from './module/transformer';
export type { TransformOptions, TransformResult } from './module/transformer';
export {
  accessRequestConditions,
  createAccessRequestConditionalDecision,
  accessRequestResourceRef,
} from './access/permissions';
export type { AccessRequestFilter } from './access/permissions';
export { privateApiAccessRequestDecision } from './access/policy';
export type { PrivateApiDecisionOptions } from './access/policy';
