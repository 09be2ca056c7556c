import type {
  ApiRecord,
  ApiType,
  DomainRecord,
  EndpointType,
  TrafficRecord,
  VpcEndpointRecord,
  VpcLinkRecord,
  VpcRecord,
} from '@private-api-catalog/plugin-private-api-common';

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
  lastErrorCode?: string;
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
  stale: boolean;
}

export interface ApiListFilter {
  accountId?: string;
  region?: string;
  apiType?: ApiType;
  endpointType?: EndpointType;
  /** Matches the owner tag value (the configured tag key). */
  owner?: string;
  /** Case-insensitive substring of the name, id or description. */
  text?: string;
  limit?: number;
  offset?: number;
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
  /** Why the details could not be refreshed (the stored ones are kept). */
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
