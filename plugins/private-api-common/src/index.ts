/**
 * Shared types, annotation keys, permissions and the pure domain logic of the private API
 * catalogue, used at run time by the backend and the frontend alike.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './permissions';
export * from './inventory/types';
export * from './inventory/api';
export * from './inventory/discoveryStatus';
export * from './inventory/integrationResources';
export * from './entityName';

// Errors and the assumptions to verify.
export { InvalidArgumentError, PolicyParseError } from './errors';
export {
  VERIFY_ASSUMPTIONS,
  assumptionCaveat,
  assumptionDocUrl,
  describeAssumption,
} from './assumptions';
export { AWS_DOCS } from './docs';
export type { Caveat } from './docs';
export type { VerifyAssumption } from './assumptions';

// Resource policies: parse, evaluate, analyze, change.
export type {
  AccessDecision,
  AccessRequestContext,
  ConditionClause,
  ConditionDocument,
  ConditionValueDocument,
  PatternList,
  PolicyDocument,
  PolicyStatement,
  PolicyStatementDocument,
  PrincipalDocument,
  PrincipalEntry,
  PrincipalMatcher,
  PrincipalType,
  ResourcePolicy,
} from './policy/types';
export { parseResourcePolicy, serializePolicy } from './policy/parse';
export { evaluateAccess, INVOKE_ACTION } from './policy/evaluate';
export { describeStatement } from './policy/describe';
export { analyzeResourcePolicy } from './policy/analyze';
export type {
  AccessList,
  AnalyzeOptions,
  PolicyAccessSummary,
  PolicyAnalysis,
  PolicyAudience,
  PolicyFinding,
  PolicyFindingCode,
  PolicyScope,
  StatementSummary,
} from './policy/analyze';
export {
  grantVpcAccess,
  revokeVpcAccess,
  undoPolicyChange,
} from './policy/change';
export { lineDiff } from './policy/diff';
export type {
  PolicyChange,
  PolicyChangeOptions,
  PolicyUndo,
  VpcAccessGrant,
} from './policy/change';

// Invoking: the ways to call an API, and whether a VPC can.
export { invokeCommand, invokeOptions } from './invoke/options';
export type {
  InvokeAvailability,
  InvokeCaller,
  InvokeOption,
  InvokeOptionKind,
  InvokeUrl,
} from './invoke/options';
export {
  admits,
  callerInvokeUrl,
  CallerEndpointIndex,
  domainAdmission,
  domainAdmissions,
  domainExecuteApiArn,
  policyCallers,
  policyCallersIn,
} from './invoke/callers';
export type {
  CallerInvokeUrl,
  CallerAdmission,
  CallerEndpoint,
  CallerVerdict,
  PolicyCallers,
} from './invoke/callers';
export { routeAuth } from './invoke/auth';
export { websocketMessage } from './invoke/command';
export type { RouteAuth } from './invoke/auth';
export { checkReachability } from './invoke/reachability';
export type {
  ReachabilityCheck,
  ReachabilityCheckId,
  ReachabilityStatus,
  ReachabilityStep,
} from './invoke/reachability';
export {
  executeApiHost,
  executeApiServiceName,
  route53AliasHost,
} from './invoke/urls';

// Cost.
export {
  DEFAULT_HOURS_PER_MONTH,
  estimateMonthlyCost,
  formatAmount,
  formatUnitPrice,
} from './cost/estimate';
export type {
  ApiCostEstimate,
  ApiUsage,
  CostAdvice,
  CostCategory,
  CostEstimate,
  CostLine,
  CostUsage,
  PriceTableReference,
  SharedCostTotals,
  VpcLinkUsage,
} from './cost/estimate';
export {
  DEFAULT_WEBSOCKET_CONNECTION_MINUTES,
  monthlyRequestsFromTraffic,
  usageFromInventory,
} from './cost/usage';
export { DEFAULT_PRICE_BOOK, withPriceOverrides } from './cost/prices';
export type { PriceBook, PriceTable, PriceTier } from './cost/prices';

// Access requests: types, the state machine, IaC snippets for hand-offs.
export type {
  AccessRequest,
  AccessRequestAction,
  AccessRequestEvent,
  AccessRequestKind,
  AccessRequestPage,
  AccessRequestState,
  AccessRequestVerification,
  AccessRequestView,
  ApplyMode,
  CreateAccessRequest,
  ListAccessRequestsQuery,
  ProposedChange,
  StageDeploymentResult,
} from './access/types';
export {
  ACCESS_REQUEST_TRANSITIONS,
  FINAL_ACCESS_REQUEST_STATES,
  OPEN_ACCESS_REQUEST_STATES,
  canTransition,
} from './access/stateMachine';
export {
  cloudFormationPolicySnippet,
  terraformPolicySnippet,
} from './access/iac';
export { callerPaths, isCallerAllowed } from './access/callerAccess';
export { PRIVATE_API_DOCS_URL, wrongRegionGuidance } from './access/regions';
export type { Caller } from './access/callerAccess';
export { AWS_ID_DESCRIPTIONS, AWS_ID_PATTERNS } from './awsIds';

// Backstage search: the document of one API.
export { PRIVATE_API_SEARCH_TYPE } from './search';
export type { PrivateApiSearchDocument } from './search';
export { endpointAccess } from './invoke/access';
export type { EndpointAccess } from './invoke/access';
