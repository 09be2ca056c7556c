/**
 * Scaffolder action `private-api:request-access` of the private API catalogue.
 *
 * @packageDocumentation
 */

export { scaffolderModulePrivateApi as default } from './module';
export {
  createRequestAccessAction,
  REQUEST_VPC_ACCESS_ACTION_ID,
} from './actions/requestAccess';
