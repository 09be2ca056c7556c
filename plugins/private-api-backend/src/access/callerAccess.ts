// Shared with the request form, which marks the endpoints the policy already admits.
export {
  callerPaths,
  isCallerAllowed,
} from '@private-api-catalog/plugin-private-api-common';
export type { Caller } from '@private-api-catalog/plugin-private-api-common';
