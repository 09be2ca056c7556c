/**
 * Shapes of the private-api backend's REST API (`/api/private-api`), shared by the backend
 * that serves them and the frontend client that reads them.
 */
import type { PolicyAnalysis } from '../policy/analyze';
import type {
  ApiCostEstimate,
  CostAdvice,
  PriceTableReference,
} from '../cost/estimate';
import type {
  AccountRecord,
  ApiRecord,
  ApiType,
  EndpointType,
  VpcEndpointRecord,
  VpcRecord,
} from './types';

/** Crawl status of one account and Region. */
export interface ScopeStatus {
  accountId: string;
  region: string;
  accountName?: string;
  /** never: not crawled yet; ok: last crawl succeeded; stale: the last crawl failed and the data is older. */
  status: 'never' | 'ok' | 'stale';
  lastStartedAt?: string;
  lastSuccessAt?: string;
  lastFullCrawlAt?: string;
  lastFailureAt?: string;
  /** The AWS error code of the last failure (AccessDeniedException, ...). */
  lastErrorCode?: string;
  /** What went wrong and what to do. */
  lastErrorMessage?: string;
  lastDurationMs?: number;
  lastCalls?: number;
  lastThrottled?: number;
  apiCount: number;
  /** Increases on every successful crawl of the scope; the catalog module follows it. */
  generation: number;
}

/** One row of the explorer: enough to list and filter without loading children. */
export interface ApiSummary {
  apiId: string;
  name: string;
  apiType: ApiType;
  endpointType: EndpointType;
  accountId: string;
  accountName?: string;
  region: string;
  tags: Record<string, string>;
  /** The scope's last crawl failed: this row is the last good data. */
  stale: boolean;
  /** The catalog entity name discovery gives this API (`{name}-{apiId}`, default namespace). */
  entityName: string;
  /** Authorization types used by its routes (NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS, JWT). */
  authorizationTypes: string[];
  /** VPCs and VPC endpoints the resource policy lets call it (PRIVATE REST APIs). */
  allowedVpcCount?: number;
  /** Monthly cost estimate in USD, when traffic and prices are known. */
  monthlyCostUsd?: number;
  /**
   * Private REST APIs: `any` when endpoints the policy does not name get in (open to any VPC
   * endpoint), `listed` when only the VPCs and endpoints it names do, `none` when nobody
   * does, `unknown` when the policy cannot be evaluated.
   */
  callerAccess?: 'any' | 'listed' | 'none' | 'unknown';
  /** Callers of another account can get in (through their own endpoints, or signed). */
  crossAccount?: boolean;
  /** The API has a resource policy. */
  hasPolicy?: boolean;
  /** With `reachableFrom`: how the caller gets in, and the URL to use from there. */
  access?: CallerAccessSummary;
  /**
   * The owner the catalog entity has, as an entity ref (`group:default/team-payments`): the
   * owner tag, else the backend's default owner, as discovery last stored it.
   */
  owner?: string;
}

/** How calls from one VPC endpoint get into an API, and the URL to use from there. */
export interface CallerAccessSummary {
  vpcEndpointId: string;
  vpcId: string;
  /** `allowed`: unsigned calls pass; `signed-only`: only the `principals` named. */
  verdict: 'allowed' | 'signed-only';
  principals: string[];
  /** The statements that decided. */
  reason: string;
  /** The base URL of the API's first stage (or domain mapping) from that endpoint. */
  invokeUrl?: string;
  /** Headers that URL needs (the endpoint's own DNS name needs the API's Host). */
  headers?: Record<string, string>;
  /** How the URL reaches the API. */
  via?: 'private-custom-domain' | 'private-dns' | 'route53-alias' | 'vpce-dns';
}

/** GET /apis/:accountId/:region/:apiId/callers: the VPC endpoints the policy admits. */
export interface AdmittedCaller {
  vpcEndpointId: string;
  vpcId: string;
  ownerAccountId: string;
  region: string;
  name?: string;
  verdict: 'allowed' | 'signed-only';
  principals: string[];
  reason: string;
}

/** The answer of the reverse index for one API. */
export interface ApiCallersResponse {
  /** The answer for VPC endpoints the policy does not name (also those outside the estate). */
  unnamed: {
    verdict: 'allowed' | 'signed-only' | 'denied' | 'unknown';
    principals: string[];
    reason: string;
  };
  /** Endpoints of the estate the policy lets in. */
  items: AdmittedCaller[];
  /** VPCs of those endpoints. */
  vpcIds: string[];
}

/** GET /apis */
export interface ApiListResponse {
  items: ApiSummary[];
  /**
   * Every API matching the filters: on the first page (no `after`) only, so that later pages
   * cost the page alone; keep the first page's total while paging on.
   */
  totalCount?: number;
  /**
   * With `totals=true`: the sum of the monthly costs of every match (those with a figure),
   * and how many of them have one (`totalCount` comes with it, on any page).
   */
  monthlyCostTotalUsd?: number;
  pricedCount?: number;
  /** Pass as `after` for the next page; absent on the last page. */
  nextCursor?: string;
  /** With `reachableFrom`: the endpoints the answer is for. */
  reachableFrom?: {
    id: string;
    vpcEndpoints: Array<{
      vpcEndpointId: string;
      vpcId: string;
      region: string;
    }>;
  };
}

/** GET /apis/:accountId/:region/:apiId */
export interface ApiDetailsResponse {
  api: ApiRecord;
  scope?: ScopeStatus;
  /**
   * The resource policy's analysis, computed by discovery when it stored the API; absent
   * until a crawl has analysed it, or when the policy cannot be read.
   */
  policyAnalysis?: PolicyAnalysis;
}

/** GET /estate: what invoke options and reachability need besides the API. */
export interface EstateResponse {
  accounts: AccountRecord[];
  vpcEndpoints: VpcEndpointRecord[];
  vpcs: VpcRecord[];
}

/** GET /vpc-endpoints */
export interface VpcEndpointListResponse {
  items: Array<
    VpcEndpointRecord & {
      associatedApis: Array<{
        accountId: string;
        region: string;
        apiId: string;
        name: string;
      }>;
      /** Private APIs whose resource policy lets calls through the endpoint in. */
      admittedApis?: Array<{
        accountId: string;
        region: string;
        apiId: string;
        name: string;
      }>;
    }
  >;
}

/** GET /scopes */
export interface ScopeListResponse {
  items: ScopeStatus[];
}

/**
 * GET /apis/:accountId/:region/:apiId/cost: the API's share of its account and Region's
 * monthly cost (request tiers are shared by all APIs of a type there).
 */
export interface ApiCostResponse {
  estimate: ApiCostEstimate;
  advice: CostAdvice[];
  assumptions: string[];
  priceTables: PriceTableReference[];
}

/**
 * The orders of `GET /apis` (`sort`, with `order=asc|desc`): the explorer's sortable
 * columns. `allowedCallers` puts "any endpoint" above every count and none below them;
 * `monthlyCost` puts APIs without a figure yet below every figure.
 */
export const API_LIST_SORTS = [
  'name',
  'account',
  'region',
  'type',
  'owner',
  'allowedCallers',
  'monthlyCost',
] as const;

/** One of {@link API_LIST_SORTS}. */
export type ApiListSort = (typeof API_LIST_SORTS)[number];
