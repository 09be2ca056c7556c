import type {
  ApiRecord,
  ApiSummary,
  DomainRecord,
  TrafficRecord,
  VpcEndpointRecord,
  VpcLinkRecord,
  VpcRecord,
} from '@private-api-catalog/plugin-private-api-common';

import type { ApiSort, SortOrder } from './explorerSort';

export type {
  ApiSummary,
  ScopeStatus,
} from '@private-api-catalog/plugin-private-api-common';

export interface ApiListFilter {
  accountId?: string;
  region?: string;
  apiType?: ApiRecord['apiType'];
  endpointType?: ApiRecord['endpointType'];
  /**
   * The owner the catalog gives the API (owner tag, else the configured default), as an
   * entity ref or a name (`team-payments` is `group:default/team-payments`).
   */
  owner?: string;
  /** Only APIs with a route of this authorization type (NONE, AWS_IAM, CUSTOM, …). */
  authorization?: string;
  /**
   * Words that must each begin a word of the API's search document (name, id, routes,
   * Lambda functions, integration hosts, load balancers, VPC and endpoint ids, domains).
   */
  text?: string;
  /** Only private REST APIs whose policy lets calls through one of these endpoints in. */
  reachableFrom?: Array<{ vpcEndpointId: string; region: string }>;
  /** Only APIs without a resource policy. */
  noPolicy?: boolean;
  /** Only private APIs open to any VPC endpoint (endpoints the policy does not name get in). */
  openToAnyEndpoint?: boolean;
  /** Only APIs that callers of another account can get into. */
  crossAccount?: boolean;
  /** Only APIs whose account and Region's last crawl failed (the data is the last good one). */
  stale?: boolean;
  limit?: number;
  /** Skips this many rows (slower on deep pages than `after`). */
  offset?: number;
  /** The `nextCursor` of the previous page: keyset paging by name. */
  after?: string;
  /**
   * Counts every match (one more query, linear in the matches). By default only the first
   * page (no `after`) counts: a user paging on keeps the total the first page gave.
   */
  count?: boolean;
  /** The order of the list (default: by name); `after` must come from the same sort. */
  sort?: ApiSort;
  order?: SortOrder;
  /**
   * true: the count of every match and the sum of their monthly costs, on any page (an
   * aggregate of the matches); false: neither. Unset: the `count` rule above.
   */
  totals?: boolean;
}

/** A page of the API list. */
export interface ApiPage {
  items: ApiSummary[];
  /** Every match; on the first page only, unless `count` says otherwise. */
  totalCount?: number;
  /** With `totals`: the sum of the matches' monthly costs, and how many have a figure. */
  monthlyCostTotalUsd?: number;
  pricedCount?: number;
  nextCursor?: string;
}

/** What the `reachableFrom` list shows of an API besides its summary, read with the page. */
export interface ReachFacts {
  partition: string;
  /** VPC endpoints associated with the API (its Route 53 alias names). */
  vpcEndpointIds: string[];
  disableExecuteApiEndpoint: boolean;
  /** The first stage by name: the stage a listed invoke URL names. */
  firstStage?: string;
  /**
   * The reverse index's rows of the API for the caller's endpoints and for endpoints its
   * policy does not name (`*`): how each gets in.
   */
  admissions: Array<{
    caller: string;
    verdict: string;
    principals: string[];
    reason: string;
  }>;
}

/** What a successful crawl of one API wrote. */
export interface ApiWrite {
  /** The API with its children; children are ignored when `details` is 'keep'. */
  record: ApiRecord;
  /** 'replace' writes stages and children anew; 'keep' keeps the stored children and definition. */
  details: 'replace' | 'keep';
  fingerprint: string;
  /** The exported definition; `undefined` keeps the stored one, `null` deletes it. */
  definition?: { stageName: string; content: string } | null;
  /** Why the details could not be refreshed (the stored ones and the stages are kept). */
  detailError?: string;
}

/** Account-level resources of one scope, replaced together. */
export interface ScopeResources {
  vpcLinks: VpcLinkRecord[];
  domains: DomainRecord[];
  vpcEndpoints: VpcEndpointRecord[];
  vpcs: VpcRecord[];
}

export type TrafficByApiId = Map<string, TrafficRecord>;

/** What the crawl last derived from a stored API (see `InventoryStore.scopeApiPage`). */
export interface StoredDerivedFigures {
  apiKey: string;
  detailJson?: string;
  costJson?: string;
  monthlyCostUsd?: number;
  allowedVpcCount?: number;
  policyAnalysisHash?: string;
  /** The hash of the inputs of the API's reverse-index entry. */
  callersHash?: string;
  /** The Region endpoints hash the reverse-index entry was computed with. */
  callersEndpointsHash?: string;
}

/** A page of assembled APIs with their stored derived figures (`next`: the key to go on after). */
export interface ScopeApiPage {
  items: Array<{ api: ApiRecord; derived: StoredDerivedFigures }>;
  next?: string;
}
