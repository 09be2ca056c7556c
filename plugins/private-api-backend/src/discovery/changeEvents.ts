/**
 * What a CloudTrail management event means for the inventory (pure). The same record
 * arrives as LookupEvents' `CloudTrailEvent` string and as the `detail` of EventBridge's
 * "AWS API Call via CloudTrail" events.
 *
 * API Gateway's events name the API in `requestParameters.restApiId` (REST) or
 * `requestParameters.apiId` (HTTP, WebSocket); a new API's id is in the response.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/cloudtrail.html
 */

export const API_GATEWAY_SOURCE = 'apigateway.amazonaws.com';
export const EC2_SOURCE = 'ec2.amazonaws.com';

/** What to re-crawl in one account and Region. */
export interface ScopeChanges {
  accountId: string;
  region: string;
  apiIds: Set<string>;
  /** VPC links, custom domains, VPC endpoints. */
  scopeResources: boolean;
}

export interface TrailRecord {
  eventSource?: string;
  eventName?: string;
  readOnly?: boolean;
  awsRegion?: string;
  eventTime?: string;
  recipientAccountId?: string;
  userIdentity?: { accountId?: string };
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  errorCode?: string;
}

/** Writes to these resources change what the scope-level crawl reads, not one API. */
const SCOPE_RESOURCE_EVENTS =
  /VpcLink|DomainName|BasePathMapping|ApiMapping|AccessAssociation/;
/** Writes to an API's own configuration that an export or GetStages shows. */
const CREATES_API = /^(CreateRestApi|ImportRestApi|CreateApi|ImportApi)$/;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** Adds what one event names to `changes`; false when the event changes nothing we show. */
export function addChange(
  changes: Map<string, ScopeChanges>,
  record: TrailRecord,
  fallback: { accountId?: string; region?: string } = {},
): boolean {
  if (record.readOnly === true || record.errorCode) return false;
  const name = record.eventName ?? '';
  if (/^(Get|List|Describe|Export)/.test(name)) return false;
  const accountId =
    record.recipientAccountId ??
    record.userIdentity?.accountId ??
    fallback.accountId;
  const region = record.awsRegion ?? fallback.region;
  if (!accountId || !region) return false;

  const request = record.requestParameters ?? {};
  const response = record.responseElements ?? {};
  let apiId: string | undefined;
  let scopeResources = false;
  if (record.eventSource === API_GATEWAY_SOURCE) {
    apiId =
      str(request.restApiId) ??
      str(request.apiId) ??
      (CREATES_API.test(name)
        ? str(response.id) ?? str(response.apiId)
        : undefined);
    scopeResources = SCOPE_RESOURCE_EVENTS.test(name);
  } else if (record.eventSource === EC2_SOURCE) {
    scopeResources = /VpcEndpoint/.test(name);
  }
  if (!apiId && !scopeResources) return false;

  const key = `${accountId}|${region}`;
  const entry = changes.get(key) ?? {
    accountId,
    region,
    apiIds: new Set<string>(),
    scopeResources: false,
  };
  if (apiId) entry.apiIds.add(apiId);
  entry.scopeResources ||= scopeResources;
  changes.set(key, entry);
  return true;
}
